"""Free text: Chinese substrings, Latin case and width, every language, relevance, hiding."""

from __future__ import annotations

from tests.merchant_api.discovery.support import names


def test_chinese_substring_finds_listings_without_word_breaks(client, catalogue):
    found = names(client, "listings", q="小米")
    # 小米粥 is deleted, 小米糕 not offered, 小米餅 sold by a suspended shop.
    assert sorted(found) == ["小米酒", "小米麻糬", "拿鐵"]


def test_name_matches_rank_above_description_matches(client, catalogue):
    found = names(client, "listings", q="小米")
    assert found[-1] == "拿鐵"  # only its description mentions 小米


def test_latin_text_ignores_case_and_width_and_matches_other_languages(client, catalogue):
    assert sorted(names(client, "listings", q="MILLET")) == ["小米酒", "小米麻糬"]
    assert sorted(names(client, "listings", q="ｍｉｌｌｅｔ ｗｉｎｅ")) == ["小米酒"]
    assert names(client, "listings", q="millet wine", lang="en") == ["Millet Wine"]


def test_one_chinese_character_is_a_search(client, catalogue):
    assert names(client, "shops", q="糖") == ["望安花生糖"]


def test_shop_text_search_covers_names_and_descriptions(client, catalogue):
    # The coffee shop is named so; the millet workshop only stands on 達仁鄉's street.
    assert names(client, "shops", q="Daren", lang="en") == [
        "Daren Coffee",
        "Tuban Millet Workshop",
    ]
    assert names(client, "shops", q="達仁") == ["達仁咖啡", "土坂部落小米工坊"]
    assert names(client, "shops", q="澎湖") == ["望安花生糖"]  # its county
    # Suspended 小米停業店 never shows; the description match ranks last.
    assert names(client, "shops", q="millet", lang="en") == [
        "Tuban Millet Workshop",
        "Daren Coffee",
    ]


def test_text_that_matches_nothing_gives_an_empty_last_page(client, catalogue):
    response = client.get("/api/search/listings", params={"q": "榴槤"})
    assert response.json()["items"] == []
    assert response.json()["next_cursor"] is None


def test_like_wildcards_in_the_query_are_literal(client, catalogue):
    assert names(client, "listings", q="%%") == []
    assert names(client, "listings", q="__") == []


def test_language_falls_back_to_traditional_chinese(client, catalogue):
    response = client.get("/api/search/listings", params={"q": "拿鐵", "lang": "vi"})
    body = response.json()
    assert body["language"] == "vi"
    assert body["items"][0]["name"] == "拿鐵"  # no Vietnamese name: the Chinese one
    assert body["items"][0]["description"] == "加小米奶泡"
    assert names(client, "listings", q="拿鐵", lang="en") == ["Latte"]


def test_an_empty_search_box_is_no_text_filter(client, catalogue):
    assert len(names(client, "listings", q="  ")) == 4
