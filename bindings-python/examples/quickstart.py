"""The Sendivent Python SDK in one page: send, handle errors, read metadata, paginate."""

from __future__ import annotations

import sendivent
from sendivent import Sendivent


def main() -> None:
    # SENDIVENT_API_KEY (and, for the mock, SENDIVENT_BASE_URL) come from the environment.
    with Sendivent() as client:
        sent = client.send(
            "order.confirmed",
            to={"email": "ada@example.com", "name": "Ada", "tier": "gold"},
            payload={"order_id": 1042, "total": "€99"},
            idempotency_key="order-1042-confirmed",
        )
        for delivery in sent.deliveries:
            print(f"{delivery.channel}: {delivery.uuid}")
        meta = sent.last_response
        if meta is not None:
            print("request id:", meta.request_id, "replayed:", meta.idempotent_replay)

        try:
            client.send("order.confirmed", to="grace@example.com", channel="sms")
        except sendivent.SendFailedError as err:
            for reason in err.errors:
                print("not sent:", reason.code, reason.message)
        except sendivent.APIError as err:
            print(f"API error {err.status} {err.code}: {err.message}")

        for contact in client.contacts.list_all(search="example.com"):
            print(contact.uuid, contact.email, contact.meta)

        for failed in client.deliveries.list_all(status="failed"):
            print(failed.uuid, failed.error)

    print(sendivent.validate_phone("+1 (415) 555-2671"))  # +14155552671


if __name__ == "__main__":
    main()
