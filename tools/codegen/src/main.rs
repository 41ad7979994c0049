//! Prints the description (temporary).
fn main() {
    println!("{}", serde_json::to_string_pretty(&sendivent::describe::description()).unwrap_or_default());
}
