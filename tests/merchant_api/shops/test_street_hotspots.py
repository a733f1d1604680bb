"""Street WiFi hotspots: public to read, recorded by the street's consultant or an admin."""

from __future__ import annotations

from tests.merchant_api.shops.conftest import days_from_today, problem_keys

HOTSPOT = {
    "name": {"zh-Hant-TW": "鄉公所前", "en": "Township office"},
    "ssid": "iTaiwan-Daren",
    "location": {"zh-Hant-TW": "鄉公所廣場"},
    "latitude": 22.37,
    "longitude": 120.88,
    "installed_on": "2018-05-01",
    "status": "active",
}


def test_consultant_records_a_hotspot_that_everyone_sees(caller, world, client):
    consultant = caller("consultant.x@test.tw")
    created = consultant.post(f"/api/streets/{world.street_x}/hotspots", json=HOTSPOT)
    assert created.status_code == 201, created.text
    hotspot_id = created.json()["id"]
    listed = client.get(f"/api/streets/{world.street_x}/hotspots?lang=en").json()
    assert [(h["name"], h["ssid"], h["status"]) for h in listed] == [
        ("Township office", "iTaiwan-Daren", "active")
    ]
    assert client.get(f"/api/streets/{world.street_x}").json()["hotspots"][0]["id"] == hotspot_id

    changed = caller("admin@test.tw").patch(
        f"/api/streets/{world.street_x}/hotspots/{hotspot_id}", json={"status": "faulty"}
    )
    assert changed.status_code == 200 and changed.json()["status"] == "faulty"
    assert changed.json()["name"] == "鄉公所前"


def test_bad_hotspots_are_refused_naming_the_field(caller, world, client):
    admin = caller("admin@test.tw")
    for body, where in [
        ({**HOTSPOT, "ssid": "x" * 33}, "ssid"),
        ({**HOTSPOT, "status": "broken"}, "status"),
        ({**HOTSPOT, "latitude": 91.0}, "latitude"),
        ({**HOTSPOT, "name": {"en": "No Chinese"}}, "name.zh-Hant-TW"),
        ({**HOTSPOT, "installed_on": "yesterday"}, "installed_on"),
    ]:
        response = admin.post(f"/api/streets/{world.street_x}/hotspots", json=body)
        assert response.status_code == 422, (body, response.text)
        assert where in problem_keys(response), response.text
    assert client.get(f"/api/streets/{world.street_x}/hotspots").json() == []


def test_only_the_streets_consultant_and_admins_record_hotspots(caller, world, client):
    # consultant.x covers street X only; owners and consumers never record hotspots.
    for email, street in [
        ("consultant.x@test.tw", world.street_y),
        ("consultant.b@test.tw", world.street_y),
        ("owner.a@test.tw", world.street_x),
        ("consumer@test.tw", world.street_x),
        (None, world.street_x),
    ]:
        response = caller(email).post(f"/api/streets/{street}/hotspots", json=HOTSPOT)
        assert response.status_code in (401, 403), (email, response.text)
    assert client.get(f"/api/streets/{world.street_y}/hotspots").json() == []
    assert client.get(f"/api/streets/{world.street_x}/hotspots").json() == []


def test_admin_edits_street_texts_and_others_cannot(caller, world, client):
    url = f"/api/streets/{world.street_x}"
    admin = caller("admin@test.tw")
    changed = admin.patch(url, json={"name": {"vi": "Phố Daren"}, "description": {"en": "Paiwan"}})
    assert changed.status_code == 200, changed.text
    assert client.get(url, params={"lang": "vi"}).json()["name"] == "Phố Daren"
    assert client.get(url, params={"lang": "en"}).json()["description"] == "Paiwan"
    before = client.get(url).json()
    for body, where in [
        ({"name": {"zh-Hant-TW": " "}}, "name.zh-Hant-TW"),
        ({"description": {"xx": "?"}}, "description.xx"),
    ]:
        refused = admin.patch(url, json=body)
        assert refused.status_code == 422 and where in problem_keys(refused), refused.text
    assert caller("consultant.x@test.tw").patch(url, json={"name": {"en": "X"}}).status_code == 403
    assert client.get(url).json() == before


def test_street_lists_whether_each_shop_is_open_now(caller, world, client):
    owner = caller("owner.a@test.tw")
    all_week = [{"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(7)]
    owner.request("PUT", f"/api/shops/{world.shop_a}/hours", json={"periods": all_week})
    shops = {s["slug"]: s for s in client.get(f"/api/streets/{world.street_x}").json()["shops"]}
    assert shops["shop-a"]["is_open"] is True and shops["shop-c"]["is_open"] is True
    today = days_from_today(0).isoformat()
    owner.post(f"/api/shops/{world.shop_a}/closures", json={"starts_on": today, "ends_on": today})
    shops = {s["slug"]: s for s in client.get(f"/api/streets/{world.street_x}").json()["shops"]}
    assert shops["shop-a"]["is_open"] is False
    assert shops["shop-a"]["next_opens_at"].startswith(days_from_today(1).isoformat())
