"""Stripe webhooks: signed deliveries verified, stored once in the inbox, processed in a task;
a beat task catches up on events whose webhooks never arrived."""
