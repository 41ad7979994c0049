use super::*;
use serde_json::json;

#[test]
fn send_response_decodes_channel_map_entries() {
    let r: SendResponse = serde_json::from_value(json!({
        "success": true,
        "deliveries": [{"email": "a"}, {"sms": "b", "fax": "c"}],
        "unknown": 1
    }))
    .unwrap();
    assert_eq!(r.deliveries.len(), 3);
    assert_eq!(r.deliveries[2].channel, Channel::Other("fax".into()));
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(back["deliveries"][0], json!({"email": "a"}));
}
