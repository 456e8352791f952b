"""The PACT v3.0 / v2.3 server over real HTTPS: tokens, listing with every filter and
Link pagination, single footprints, errors, the Tanji extension; responses validated
against the vendored OpenAPI schemas."""

from __future__ import annotations

import base64
import copy
import ssl
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from gateway.pact import (
    Catalog,
    Entry,
    GatewayConfigError,
    Listen,
    PactClient,
    next_link,
    parse_event,
)
from gateway.pact.errors import PactRequestError
from sdk import Disclosure, verify_disclosure
from sdk.footprint import TANJI_EXTENSION_SCHEMA_PATH, from_pact
from tests.gateway.pact.conftest import BUYER, OTHER, SUPPLIER, Served, footprint, serve_gateway
from tests.sdk.footprint.pact_schema import (
    example_footprints,
    schema_errors,
    tanji_data_errors,
    validator,
)


def _get(served: Served, http: httpx.Client, token: str, path: str) -> httpx.Response:
    return http.get(served.base_url + path, headers={"Authorization": f"Bearer {token}"})


def _ids(resp: httpx.Response) -> set[str]:
    assert resp.status_code == 200, resp.text
    return {d["id"] for d in resp.json()["data"]}


def test_auth_discovery_and_token_errors(supplier: Served) -> None:
    creds = supplier.client(BUYER)
    with supplier.http() as http:
        conf = http.get(supplier.base_url + "/.well-known/openid-configuration").json()
        assert conf["token_endpoint"] == supplier.base_url + "/auth/token"
        ok = http.post(
            conf["token_endpoint"], data={"grant_type": "client_credentials"}, auth=creds
        )
        assert ok.status_code == 200
        assert ok.json()["token_type"] == "Bearer"
        assert ok.json()["expires_in"] > 0
        wrong = http.post(
            conf["token_endpoint"],
            data={"grant_type": "client_credentials"},
            auth=(creds[0], "not-the-secret"),
        )
        assert wrong.status_code == 401
        assert wrong.json()["error"] == "invalid_client"
        unknown = http.post(
            conf["token_endpoint"], data={"grant_type": "client_credentials"}, auth=("nobody", "x")
        )
        assert unknown.status_code == 401
        grant = http.post(conf["token_endpoint"], data={"grant_type": "password"}, auth=creds)
        assert grant.json()["error"] == "unsupported_grant_type"
        # client_secret_post works too
        post = http.post(
            conf["token_endpoint"],
            data={
                "grant_type": "client_credentials",
                "client_id": creds[0],
                "client_secret": creds[1],
            },
        )
        assert post.status_code == 200
        basic = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode()
        assert supplier.state.client(creds[0]) is not None
        assert basic not in supplier.state.path.read_bytes().decode("latin-1")
        assert creds[1] not in supplier.state.path.read_bytes().decode("latin-1")
    # The TLS port does not speak plain http.
    with pytest.raises(httpx.HTTPError), httpx.Client() as plain:
        plain.post(supplier.base_url.replace("https", "http") + "/auth/token")


def test_http_base_url_and_missing_certificate_are_refused(tmp_path: object) -> None:
    listen = Listen("127.0.0.1", 8443, None, None)
    with pytest.raises(GatewayConfigError, match="https only"):
        listen.check("http://pact.example.com")
    with pytest.raises(GatewayConfigError, match="no such file"):
        listen.check("https://pact.example.com")
    with pytest.raises(GatewayConfigError, match="loopback"):
        Listen("0.0.0.0", 80, None, None, insecure_http=True).check("http://x.example")


def test_list_shows_only_what_was_granted_and_is_schema_valid(supplier: Served) -> None:
    with supplier.http() as http:
        buyer = supplier.token(http, supplier.client(BUYER))
        other = supplier.token(http, supplier.client(OTHER))
        stranger = supplier.token(http, supplier.client(SUPPLIER))
        resp = _get(supplier, http, buyer, "/3/footprints")
        listing = validator(3, "ProductFootprint")
        body = resp.json()
        assert _ids(resp) == {footprint(i).id for i in (0, 1, 2, 3, 4, 6)}
        for doc in body["data"]:
            assert not schema_errors(doc, 3)
            assert listing.is_valid(doc)
        assert _ids(_get(supplier, http, other, "/3/footprints")) == {footprint(4).id}
        assert _get(supplier, http, stranger, "/3/footprints").json() == {"data": []}
        # the superseded version is listed Deprecated, the new one names it
        by_id = {d["id"]: d for d in body["data"]}
        assert by_id[footprint(1).id]["status"] == "Deprecated"
        assert by_id[footprint(6).id]["precedingPfIds"] == [footprint(1).id]


def test_tanji_extension_carries_a_verifiable_disclosure(supplier: Served) -> None:
    with supplier.http() as http:
        token = supplier.token(http, supplier.client(BUYER))
        doc = _get(supplier, http, token, f"/3/footprints/{footprint(0).id}").json()["data"]
        schema_url = supplier.base_url + TANJI_EXTENSION_SCHEMA_PATH
        (ext,) = [e for e in doc["extensions"] if e["dataSchema"] == schema_url]
        served_schema = http.get(schema_url)
        assert served_schema.status_code == 200
        assert served_schema.json()["type"] == "object"
    assert not tanji_data_errors(ext["data"])
    att = ext["data"]["attestation"]
    record = supplier.wallet.publication(att["attestationId"])
    assert record is not None
    assert (att["logId"], att["index"]) == ("main", 1)
    disclosure = Disclosure.from_dict(att["disclosure"])
    values = verify_disclosure(disclosure, record.attestation.signed_statement)
    assert values["/pcf/pcfExcludingBiogenicUptake"] == doc["pcf"]["pcfExcludingBiogenicUptake"]
    assert values["/productIds/0"] == doc["productIds"][0]
    # a plain PACT reader takes the document as is
    assert from_pact(doc, strict=False).id == footprint(0).id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"productId": "URN:PACT:lumen-glass.example:supplier-id:GLASS-2"}, {2}),
        (
            {
                "productId": [
                    "urn:pact:lumen-glass.example:supplier-id:glass-2",
                    "urn:pact:lumen-glass.example:supplier-id:glass-3",
                ]
            },
            {2, 3},
        ),
        ({"productid": "urn:pact:lumen-glass.example:supplier-id:glass-3"}, {3}),
        (
            {"companyId": ["not-a-urn", f"urn:pact:lumen-glass.example:company-id:{SUPPLIER}"]},
            {0, 1, 2, 3, 4, 6},
        ),
        ({"companyId": ["urn:bogus:company:x", "also-bogus"]}, set()),
        ({"geography": "de"}, {1, 3}),
        ({"geography": "XX"}, set()),
        ({"classification": "urn:pact:productclassification:un-cpc:37115"}, {0, 1, 2, 3, 4, 6}),
        ({"classification": "urn:bogus:classification:x"}, set()),
        ({"validOn": "2027-06-01T00:00:00Z"}, {0, 1, 2, 3, 4, 6}),
        ({"validOn": "1900-01-01T00:00:00Z"}, set()),
        ({"validAfter": "2025-12-31T00:00:00Z"}, {0, 1, 2, 3, 4, 6}),
        ({"validAfter": "2099-12-31T23:59:59Z"}, set()),
        ({"validBefore": "2029-01-02T00:00:00Z"}, {0, 1, 2, 3, 4, 6}),
        ({"validBefore": "1900-01-01T00:00:00Z"}, set()),
        ({"status": "deprecated"}, {1}),
        ({"status": "Active", "geography": "DE"}, {3}),
        ({"status": "BogusStatus"}, set()),
        ({"x-acme-invoice": "1"}, {0, 1, 2, 3, 4, 6}),
    ],
)
def test_filters(shared_supplier: Served, query: dict[str, object], expected: set[int]) -> None:
    with shared_supplier.http() as http:
        token = shared_supplier.token(http, shared_supplier.client(BUYER))
        resp = http.get(
            shared_supplier.base_url + "/3/footprints",
            params=query,  # type: ignore[arg-type]
            headers={"Authorization": f"Bearer {token}"},
        )
    assert _ids(resp) == {footprint(i).id for i in expected}


def test_pagination_links_start_with_the_base_url(supplier: Served) -> None:
    seen: list[str] = []
    with supplier.http() as http:
        token = supplier.token(http, supplier.client(BUYER))
        url: str | None = supplier.base_url + "/3/footprints?limit=4&geography=CN&geography=DE"
        pages = 0
        while url is not None:
            resp = http.get(url, headers={"Authorization": f"Bearer {token}"})
            assert resp.status_code == 200
            assert len(resp.json()["data"]) <= 4
            seen += [d["id"] for d in resp.json()["data"]]
            url = next_link(resp.headers.get("link"))
            if url is not None:
                assert url.startswith(supplier.base_url + "/3/footprints?")
                assert parse_qs(urlsplit(url).query)["geography"] == ["CN", "DE"]
            pages += 1
        assert pages == 2
        assert len(seen) == len(set(seen)) == 6


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/3/footprints?validOn=yesterday", 400, "BadRequest"),
        ("/3/footprints?limit=0", 400, "BadRequest"),
        ("/3/footprints?limit=ten", 400, "BadRequest"),
        ("/3/footprints/00000000-0000-0000-0000-000000000000", 404, "NotFound"),
        (f"/3/footprints/{footprint(5).id}", 404, "NotFound"),  # exists, granted to nobody
        ("/3/footprints/not-a-uuid", 400, "BadRequest"),
        ("/2/footprints/00000000-0000-0000-0000-000000000000", 404, "NoSuchFootprint"),
        ("/2/footprints?$filter=pcf/declaredUnit eq 'kilogram'", 400, "NotImplemented"),
        ("/3/nothing", 404, "NotFound"),
    ],
)
def test_errors(shared_supplier: Served, path: str, status: int, code: str) -> None:
    with shared_supplier.http() as http:
        token = shared_supplier.token(http, shared_supplier.client(BUYER))
        resp = _get(shared_supplier, http, token, path)
    assert (resp.status_code, resp.json()["code"]) == (status, code)
    assert validator(3, "Error").is_valid(resp.json()) or code == "NoSuchFootprint"


def test_bad_tokens(supplier: Served) -> None:
    creds = supplier.client(BUYER)
    with supplier.http() as http:
        bad = {"Authorization": "Bearer very-invalid-access-token"}
        for path in ("/3/footprints", f"/3/footprints/{footprint(0).id}"):
            resp = http.get(supplier.base_url + path, headers=bad)
            assert (resp.status_code, resp.json()["code"]) == (401, "BadRequest")
        resp = http.post(supplier.base_url + "/3/events", headers=bad, json={})
        assert (resp.status_code, resp.json()["code"]) == (401, "BadRequest")
        assert http.get(supplier.base_url + "/3/footprints").status_code == 401
        resp = http.get(supplier.base_url + "/2/footprints", headers=bad)
        assert (resp.status_code, resp.json()["code"]) == (400, "BadRequest")
        resp = http.post(supplier.base_url + "/2/events", headers=bad, json={})
        assert (resp.status_code, resp.json()["code"]) == (401, "AccessDenied")
        token = supplier.token(http, creds)
        supplier.state.remove_client(creds[0])
        assert _get(supplier, http, token, "/3/footprints").status_code == 401


def test_v2_endpoints(supplier: Served) -> None:
    with supplier.http() as http:
        token = supplier.token(http, supplier.client(BUYER))
        listed = _get(supplier, http, token, "/2/footprints?limit=100").json()["data"]
        # piece is not v2.3's; kilogram is: every granted footprint has a v2.3 form
        assert {d["id"] for d in listed} == {footprint(i).id for i in (0, 1, 2, 3, 4, 6)}
        for doc in listed:
            assert doc["specVersion"].startswith("2.")
            assert not schema_errors(doc, 2)
        flt = (
            "/2/footprints?$filter=productIds/any(productId:(productId eq "
            "'urn:pact:lumen-glass.example:supplier-id:glass-2'))"
        )
        assert _ids(_get(supplier, http, token, flt)) == {footprint(2).id}
        flt = (
            "/2/footprints?$filter=(pcf/geographyCountry eq 'DE') "
            "and (created ge '2026-03-01T08:02:00Z')"
        )
        assert _ids(_get(supplier, http, token, flt)) == {footprint(3).id}
        one = _get(supplier, http, token, f"/2/footprints/{footprint(3).id}").json()["data"]
        assert one["productCategoryCpc"] == "37115"


def test_malformed_events_are_refused_and_nothing_is_stored(supplier: Served) -> None:
    base = {
        "specversion": "1.0",
        "id": "e1",
        "source": "https://buyer.example/3/events",
        "time": "2026-03-01T08:00:00Z",
    }
    cases = [
        {**base, "type": "org.wbcsd.pact.ProductFootprint.Nonsense.3", "data": {}},
        {
            **base,
            "type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3",
            "data": {"pfIds": ["urn:gtin:4712345060507"]},
        },
        {
            **base,
            "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
            "data": {"validOn": "tomorrow"},
        },
        {
            **base,
            "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
            "source": "http://buyer.example/3/events",
            "data": {"productId": ["urn:x:y"]},
        },
        {
            **{k: v for k, v in base.items() if k != "time"},
            "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
            "data": {},
        },
    ]
    with supplier.http() as http:
        token = supplier.token(http, supplier.client(BUYER))
        for body in cases:
            resp = http.post(
                supplier.base_url + "/3/events",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
            )
            assert (resp.status_code, resp.json()["code"]) == (400, "BadRequest"), body
        resp = http.post(
            supplier.base_url + "/3/events",
            content=b"{not json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert resp.status_code == 400
    assert supplier.state.inbound_all() == []
    assert supplier.wallet.requests() == []


def test_published_event_from_a_partner_is_accepted(supplier: Served) -> None:
    event = {
        "type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3",
        "specversion": "1.0",
        "id": "p1",
        "source": "//buyer.example/3/events",
        "time": "2026-03-01T08:00:00Z",
        "data": {"pfIds": ["3a6c14a7-4deb-498a-b5ea-16ce2535b576"]},
    }
    with supplier.http() as http:
        token = supplier.token(http, supplier.client(BUYER))
        resp = http.post(
            supplier.base_url + "/3/events",
            json=event,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/cloudevents+json",
            },
        )
    assert resp.status_code == 200
    assert resp.content == b""
    with pytest.raises(PactRequestError):
        parse_event({**event, "specversion": "0.3"}, 3)


def test_pact_examples_are_served_and_pulled_back_equal(tmp_path: Path) -> None:
    examples = [d for _, d in example_footprints() if d["specVersion"].startswith("3")]
    assert len(examples) >= 4
    unique = list({d["id"]: d for d in examples}.values())
    catalog = Catalog([Entry(copy.deepcopy(d), (BUYER,)) for d in unique])
    served = serve_gateway(tmp_path / "examples", SUPPLIER, catalog=catalog)
    try:
        cid, secret = served.client(BUYER)
        ctx = ssl.create_default_context(cafile=str(served.ca))
        with PactClient(served.base_url, cid, secret, verify=ctx) as client:
            pulled = list(client.footprints(limit=2))
            one = client.footprint(unique[0]["id"])
    finally:
        served.stop()
    assert sorted(pulled, key=lambda d: d["id"]) == sorted(unique, key=lambda d: d["id"])
    assert one == unique[0]
