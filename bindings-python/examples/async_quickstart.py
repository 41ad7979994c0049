"""The asyncio client: 50 concurrent sends and async pagination."""

from __future__ import annotations

import asyncio
from typing import List, Union

import sendivent
from sendivent import AsyncSendivent


async def main() -> None:
    async with AsyncSendivent() as client:
        results: List[Union[sendivent.SendResponse, BaseException]] = await asyncio.gather(
            *(client.send("invoice.due", to=f"user{i}@example.com", payload={"n": i}) for i in range(50)),
            return_exceptions=True,
        )
        ok = [r for r in results if isinstance(r, sendivent.SendResponse)]
        print(f"{len(ok)} of {len(results)} sent")
        async for delivery in client.deliveries.list_all(event="invoice.due"):
            print(delivery.uuid, delivery.status)


if __name__ == "__main__":
    asyncio.run(main())
