"""O2O vouchers (the plan's group-buy example): a shop offers, a consumer buys online, the
shop redeems in store by the voucher's code, exactly once."""
