//! Every response type of `sendivent::models` decoded from the same bytes. Oracles: no panic; a
//! value that decodes serialises and decodes again to an equal value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendivent::models::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<T>(data) else { return };
    let text = match serde_json::to_string(&value) {
        Ok(text) => text,
        Err(err) => panic!("{} decodes but does not encode: {err}", std::any::type_name::<T>()),
    };
    match serde_json::from_str::<T>(&text) {
        Ok(again) => assert_eq!(again, value, "{} changes in a round trip through {text}", std::any::type_name::<T>()),
        Err(err) => panic!("{} does not decode its own encoding {text}: {err}", std::any::type_name::<T>()),
    }
}

fuzz_target!(|data: &[u8]| {
    round_trip::<SendResponse>(data);
    round_trip::<ErrorBody>(data);
    round_trip::<SendError>(data);
    round_trip::<Deleted>(data);
    round_trip::<Acknowledged>(data);
    round_trip::<Contact>(data);
    round_trip::<Envelope<ContactData>>(data);
    round_trip::<Envelope<ContactList>>(data);
    round_trip::<PushToken>(data);
    round_trip::<Delivery>(data);
    round_trip::<Envelope<DeliveryList>>(data);
    round_trip::<Envelope<DeliveryTrace>>(data);
    round_trip::<Event>(data);
    round_trip::<Envelope<EventList>>(data);
    round_trip::<Envelope<EventData>>(data);
    round_trip::<Integration>(data);
    round_trip::<Envelope<IntegrationList>>(data);
    round_trip::<WebhookConfig>(data);
    round_trip::<Envelope<WebhookData>>(data);
    round_trip::<WebhookEvent>(data);
});
