//! E.164 phone numbers (docs/contract.md §2 "Phones and emails").
//!
//! A number is accepted when it is written in international form (`+`, the country calling code,
//! the national number), its calling code is assigned by ITU-T, it has at most 15 digits, and its
//! national-number length is one libphonenumber considers *possible* for that calling code
//! (`isPossibleNumberWithReason(..) == IS_POSSIBLE`). The table of calling codes and lengths is
//! generated from libphonenumber's metadata by `tools/gen_phone_table.py` ([`phone_table`]).
//!
//! Normalisation: the separators space, `-`, `.`, `(` and `)` are removed. When the national number
//! is written with its national (trunk) prefix or a carrier code after the country code, as in
//! `+44 (0)20 7946 0958` or `+46 070 123 45 67`, the national-prefix rule of libphonenumber's
//! `parse` applies (`+442079460958`, `+46701234567`): the calling code's prefix pattern is
//! stripped, or transformed where libphonenumber transforms it (`+261` numbers of 7 digits get
//! `20` in front, `+672` numbers of 5 digits get `3`), unless the number as written is a viable
//! national number and the result is not, or the result has an impossible length. Unlike
//! libphonenumber, the rule applies again while it changes the number (a prefix written twice is
//! dropped twice), so that an accepted number always validates to itself.
//!
//! ```
//! use sendivent::validate::validate_phone;
//!
//! let phone = validate_phone("+1 (415) 555-2671").unwrap();
//! assert_eq!(phone.as_str(), "+14155552671");
//! assert_eq!(phone.country_code(), 1);
//! assert_eq!(phone.national_number(), "4155552671");
//!
//! let err = validate_phone("0701234567").unwrap_err();
//! assert_eq!(err.code(), "INVALID_PHONE");
//! ```

#[path = "phone_table.rs"]
#[rustfmt::skip]
mod phone_table;

use std::fmt;

use crate::error::{Error, ErrorCode, Result};
use phone_table::{CALLING_CODES, CallingCode, INSTRUCTIONS, TRANSFORMS};

/// The most digits an E.164 number may have, country code included.
pub const MAX_DIGITS: usize = 15;

/// A valid phone number in canonical E.164 form, `+<digits>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber {
    e164: String,
    country_code: u16,
}

impl PhoneNumber {
    /// The E.164 form, e.g. `+46701234567`.
    pub fn as_str(&self) -> &str {
        &self.e164
    }

    /// Consumes into the E.164 form.
    pub fn into_string(self) -> String {
        self.e164
    }

    /// The country calling code, e.g. `46`.
    pub fn country_code(&self) -> u16 {
        self.country_code
    }

    /// The national (significant) number: the digits after the country code, e.g. `701234567`.
    pub fn national_number(&self) -> &str {
        let skip = 1 + decimal_len(self.country_code);
        self.e164.get(skip..).unwrap_or_default()
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e164)
    }
}

impl AsRef<str> for PhoneNumber {
    fn as_ref(&self) -> &str {
        &self.e164
    }
}

impl From<PhoneNumber> for String {
    fn from(phone: PhoneNumber) -> String {
        phone.e164
    }
}

impl std::str::FromStr for PhoneNumber {
    type Err = Error;

    fn from_str(s: &str) -> Result<PhoneNumber> {
        validate_phone(s)
    }
}

/// Whether `c` is one of the formatting characters stripped from phone numbers.
pub(crate) fn is_phone_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')')
}

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid(ErrorCode::InvalidPhone, message)
}

const MISSING_COUNTRY_CODE: &str = "missing country code: write the number in international form, starting with + and \
     the country calling code, e.g. +46701234567 for the Swedish number 070-123 45 67";

/// Validates a phone number and normalises it to E.164.
///
/// Surrounding whitespace is ignored. Errors carry [`ErrorCode::InvalidPhone`] and a message that
/// says what to change: a missing `+` and country code, a `00` dialling prefix, an unassigned
/// calling code, or a length the calling code does not allow (with the lengths it does allow).
pub fn validate_phone(input: &str) -> Result<PhoneNumber> {
    let s = input.trim();
    if s.is_empty() {
        return Err(invalid("the phone number is empty: write it in international form, e.g. +46701234567"));
    }
    if let Some(bad) = s.chars().find(|c| !(c.is_ascii_digit() || *c == '+' || is_phone_separator(*c))) {
        return Err(invalid(format!(
            "a phone number may contain only digits, a leading + and the separators space - . ( ), not {bad:?}"
        )));
    }
    let Some(rest) = s.strip_prefix('+') else {
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        if digits.starts_with("00") {
            return Err(invalid(
                "00 is a dialling prefix, not part of the number: write + instead of 00, e.g. +46701234567",
            ));
        }
        if s.contains('+') {
            return Err(invalid("the + must come first, directly before the country calling code"));
        }
        return Err(invalid(MISSING_COUNTRY_CODE));
    };
    if rest.contains('+') {
        return Err(invalid("a phone number has exactly one +, at the start"));
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err(invalid("the phone number has no digits after the +"));
    }
    if digits.starts_with("00") {
        return Err(invalid(
            "00 is a dialling prefix, not part of the number: write only + before the country calling code",
        ));
    }
    if digits.starts_with('0') {
        return Err(invalid("country calling codes never start with 0: write + followed by the country code"));
    }
    let Some((cc, cc_len)) = lookup_calling_code(&digits) else {
        // The shortest prefix no calling code starts with: "+28…" is reported as +28, "+999…" as +999.
        let unassigned = (1..=digits.len().min(3))
            .filter_map(|n| digits.get(..n))
            .find(|prefix| !CALLING_CODES.iter().any(|c| c.code.to_string().starts_with(prefix)));
        return Err(invalid(match unassigned {
            Some(prefix) => format!("+{prefix} is not an assigned country calling code"),
            None => format!("+{digits} is too short to be a phone number"),
        }));
    };
    let allowed = allowed_lengths(cc, cc_len);
    // The label is for messages only: formatting it for every valid number cost a sixth of a call.
    let label = || code_label(cc);
    if digits.len() > MAX_INPUT_DIGITS {
        return Err(invalid(format!(
            "too long: an E.164 number has at most {MAX_DIGITS} digits including the country code, this one has \
             {} ({} allows {} digits after the country code)",
            digits.len(),
            label(),
            describe_lengths(allowed)
        )));
    }
    let mut national = digits.get(cc_len..).unwrap_or_default().to_owned();
    // The national-prefix rule until it changes nothing, so that a number it accepts validates to
    // itself. A strip shortens the number; the bound only guards against a transform rule that
    // would undo its own work.
    for _ in 0..national.len() + MAX_PREFIX_STEPS {
        match apply_national_prefix_rule(cc, &national) {
            Some(next) if next != national => national = next,
            _ => break,
        }
    }
    let total = cc_len + national.len();
    if total > MAX_DIGITS {
        return Err(invalid(format!(
            "too long: an E.164 number has at most {MAX_DIGITS} digits including the country code, this one has \
             {total} ({} allows {} digits after the country code)",
            label(),
            describe_lengths(allowed_lengths(cc, cc_len))
        )));
    }
    if !is_allowed(allowed, national.len()) {
        let n = national.len();
        let min = allowed.trailing_zeros() as usize;
        let adjective = if n < min {
            "too short"
        } else if n > 31 - allowed.leading_zeros() as usize {
            "too long"
        } else {
            "wrong length"
        };
        return Err(invalid(format!(
            "{adjective}: {} numbers have {} digits after the country code, this one has {n}",
            label(),
            describe_lengths(allowed)
        )));
    }
    Ok(PhoneNumber { e164: format!("+{}{national}", cc.code), country_code: cc.code })
}

/// Applications of the national-prefix rule beyond one per digit (transform rules that add digits).
const MAX_PREFIX_STEPS: usize = 8;

/// Longer input is refused before the national-prefix rule runs, which keeps its work bounded
/// (libphonenumber refuses input over 250 characters the same way).
const MAX_INPUT_DIGITS: usize = 250;

/// libphonenumber's `maybeStripNationalPrefixAndCarrierCode`, with the length condition its
/// `parse` puts on the result: the national number with the calling code's prefix pattern
/// stripped (or replaced by its transform rule), `None` when the pattern does not match or the
/// result is refused.
fn apply_national_prefix_rule(cc: &CallingCode, national: &str) -> Option<String> {
    let prefix = cc.prefix.first_match(national.as_bytes())?;
    let transform = TRANSFORMS.get(usize::from(cc.transform)).copied().unwrap_or_default();
    let rest = national.get(prefix.end..).unwrap_or_default();
    let last_group = prefix.group(national, usize::from(cc.prefix.groups));
    let candidate = match last_group {
        Some(_) if !transform.is_empty() => {
            // `\N` is the text of group N (empty when it did not take part), digits are kept.
            let mut out = String::with_capacity(transform.len() + national.len());
            let mut chars = transform.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    let group = chars.next().and_then(|g| g.to_digit(10)).unwrap_or_default();
                    out.push_str(prefix.group(national, group as usize).unwrap_or_default());
                } else {
                    out.push(c);
                }
            }
            out.push_str(rest);
            out
        }
        _ => rest.to_owned(),
    };
    if cc.viable.is_match(national.as_bytes()) && !cc.viable.is_match(candidate.as_bytes()) {
        return None;
    }
    match length_check(cc, candidate.len()) {
        Length::TooShort | Length::LocalOnly | Length::Invalid => None,
        Length::Possible | Length::TooLong => Some(candidate),
    }
}

/// libphonenumber's `testNumberLength` for the calling code's main region.
enum Length {
    Possible,
    LocalOnly,
    TooShort,
    TooLong,
    Invalid,
}

fn length_check(cc: &CallingCode, len: usize) -> Length {
    if is_allowed(cc.local_lengths, len) {
        return Length::LocalOnly;
    }
    let min = cc.lengths.trailing_zeros() as usize;
    let max = 31 - cc.lengths.leading_zeros() as usize;
    if len < min {
        Length::TooShort
    } else if len > max {
        Length::TooLong
    } else if is_allowed(cc.lengths, len) {
        Length::Possible
    } else {
        Length::Invalid
    }
}

/// One instruction of a [`Program`]: the operation in the top 3 bits, its operand below.
#[derive(Debug, Clone, Copy)]
struct Instruction(u32);

/// A pattern of libphonenumber's metadata, compiled by `tools/gen_phone_table.py` (with the
/// regular-expression parser `phonenumbers` uses) into instructions for a backtracking matcher
/// over digits: `INSTRUCTIONS[start..start + len]`, with `groups` capture groups.
#[derive(Debug, Clone, Copy)]
struct Program {
    start: u32,
    len: u32,
    groups: u8,
}

/// Matches one digit of the set in the operand's low 10 bits.
const DIGIT: u32 = 0;
/// Tries the next instruction, then (on failure) the operand.
const SPLIT: u32 = 1;
/// Continues at the operand.
const JUMP: u32 = 2;
/// Records the position in capture slot `operand` (group `n` is slots `2n` and `2n + 1`).
const SAVE: u32 = 3;
/// Matches the end of the input.
const END: u32 = 4;
/// The pattern matched.
const MATCH: u32 = 5;
const OPERATION_SHIFT: u32 = 29;
/// Capture slots: the whole match and the groups of the prefix patterns (at most 2).
const SLOTS: usize = 8;

/// The first match of a program.
struct Found {
    end: usize,
    slots: [Option<usize>; SLOTS],
}

impl Found {
    /// The text of capture group `group`, when it took part in the match.
    fn group<'a>(&self, input: &'a str, group: usize) -> Option<&'a str> {
        let (start, end) = (*self.slots.get(2 * group)?, *self.slots.get(2 * group + 1)?);
        input.get(start?..end?)
    }
}

/// A step of the matcher's backtracking: a state to try, or a capture slot to restore.
enum Frame {
    Try(usize, usize),
    Restore(usize, Option<usize>),
}

impl Program {
    const NONE: Program = Program { start: 0, len: 0, groups: 0 };

    /// Whether the whole input matches (viability programs end by matching the end).
    fn is_match(&self, digits: &[u8]) -> bool {
        self.first_match(digits).is_some()
    }

    /// The first match at the start of `digits` in backtracking order, the order of Python's
    /// `re` that libphonenumber's patterns were written for: alternatives and repetitions are
    /// tried greedily, first to last. A state (instruction, position) that failed fails again,
    /// so each is tried once: the time is bounded by the program's length times the input's.
    fn first_match(&self, digits: &[u8]) -> Option<Found> {
        if self.len == 0 {
            return None;
        }
        let (start, len) = (self.start as usize, self.len as usize);
        let program = INSTRUCTIONS.get(start..start + len)?;
        let states = len * (digits.len() + 1);
        let mut small = [0u64; 8];
        let mut large = Vec::new();
        let tried: &mut [u64] = if states <= 8 * 64 {
            &mut small
        } else {
            large.resize(states.div_ceil(64), 0);
            &mut large
        };
        let mut slots = [None; SLOTS];
        // Most programs fail at their first digit: the stack is only allocated by a branch.
        let mut stack = Vec::new();
        let mut first = Some(Frame::Try(0, 0));
        while let Some(frame) = first.take().or_else(|| stack.pop()) {
            let (mut pc, mut pos) = match frame {
                Frame::Try(pc, pos) => (pc, pos),
                Frame::Restore(slot, value) => {
                    if let Some(s) = slots.get_mut(slot) {
                        *s = value;
                    }
                    continue;
                }
            };
            loop {
                let state = pc * (digits.len() + 1) + pos;
                let (word, bit) = (state / 64, 1u64 << (state % 64));
                match tried.get_mut(word) {
                    Some(w) if *w & bit == 0 => *w |= bit,
                    _ => break,
                }
                let Some(Instruction(instruction)) = program.get(pc) else { break };
                let operand = (instruction & ((1 << OPERATION_SHIFT) - 1)) as usize;
                match instruction >> OPERATION_SHIFT {
                    DIGIT => match digits.get(pos) {
                        Some(d) if d.is_ascii_digit() && operand >> (d - b'0') & 1 == 1 => {
                            pc += 1;
                            pos += 1;
                        }
                        _ => break,
                    },
                    SPLIT => {
                        stack.push(Frame::Try(operand.saturating_sub(start), pos));
                        pc += 1;
                    }
                    JUMP => pc = operand.saturating_sub(start),
                    SAVE => {
                        let Some(slot) = slots.get_mut(operand) else { break };
                        stack.push(Frame::Restore(operand, *slot));
                        *slot = Some(pos);
                        pc += 1;
                    }
                    END if pos == digits.len() => pc += 1,
                    MATCH => return Some(Found { end: pos, slots }),
                    _ => break,
                }
            }
        }
        None
    }
}

/// Finds the calling code that prefixes `digits` (calling codes are prefix-free, at most 3 digits).
fn lookup_calling_code(digits: &str) -> Option<(&'static CallingCode, usize)> {
    (1..=3).filter(|n| *n <= digits.len()).find_map(|n| {
        let code: u16 = digits.get(..n)?.parse().ok()?;
        let index = CALLING_CODES.binary_search_by_key(&code, |c| c.code).ok()?;
        Some((CALLING_CODES.get(index)?, n))
    })
}

fn is_allowed(lengths: u32, len: usize) -> bool {
    len < 32 && lengths & (1 << len) != 0
}

/// The possible national lengths of `cc`, limited to what fits in 15 digits.
fn allowed_lengths(cc: &CallingCode, cc_len: usize) -> u32 {
    let max = MAX_DIGITS - cc_len;
    cc.lengths & ((1u32 << (max + 1)) - 1)
}

fn code_label(cc: &CallingCode) -> String {
    match std::str::from_utf8(&cc.region) {
        Ok(region) if region != "--" => format!("+{} ({region})", cc.code),
        _ => format!("+{}", cc.code),
    }
}

/// "10", "7 or 10", "7, 9 or 10", "4 to 13", "5, 6 or 8 to 14".
fn describe_lengths(mask: u32) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut n = 0;
    while n < 32 {
        if mask & (1 << n) == 0 {
            n += 1;
            continue;
        }
        let start = n;
        while n < 32 && mask & (1 << n) != 0 {
            n += 1;
        }
        let end = n - 1;
        match end - start {
            0 => parts.push(start.to_string()),
            1 => {
                parts.push(start.to_string());
                parts.push(end.to_string());
            }
            _ => parts.push(format!("{start} to {end}")),
        }
    }
    match parts.split_last() {
        None => "no".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} or {last}", init.join(", ")),
    }
}

fn decimal_len(mut n: u16) -> usize {
    let mut len = 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn err(input: &str) -> String {
        let e = validate_phone(input).unwrap_err();
        assert_eq!(e.code(), "INVALID_PHONE", "{input}");
        e.message()
    }

    #[test]
    fn table_is_sorted_prefix_free_and_complete() {
        assert!(CALLING_CODES.windows(2).all(|w| w[0].code < w[1].code));
        for a in &CALLING_CODES {
            let a_s = a.code.to_string();
            for b in &CALLING_CODES {
                let b_s = b.code.to_string();
                assert!(a.code == b.code || !b_s.starts_with(&a_s), "+{a_s} is a prefix of +{b_s}");
            }
            assert_ne!(a.lengths, 0);
        }
        // Spot checks against libphonenumber: 215+ codes, incl. the non-geographic ones.
        assert!(CALLING_CODES.len() > 200);
        for code in [1, 7, 44, 46, 800, 808, 870, 878, 881, 882, 883, 888, 979] {
            assert!(CALLING_CODES.iter().any(|c| c.code == code), "+{code}");
        }
        for code in [0, 28, 999, 801, 210] {
            assert!(!CALLING_CODES.iter().any(|c| c.code == code), "+{code}");
        }
    }

    #[test]
    fn normalises_formatting() {
        for (input, want) in [
            ("+1 (415) 555-2671", "+14155552671"),
            ("  +46 70-123 45 67 ", "+46701234567"),
            ("+44.20.7946.0958", "+442079460958"),
            ("+(46)701234567", "+46701234567"),
            ("+800 1234 5678", "+80012345678"),
        ] {
            assert_eq!(validate_phone(input).unwrap().as_str(), want, "{input}");
        }
    }

    #[test]
    fn strips_a_trunk_prefix_only_when_needed() {
        assert_eq!(validate_phone("+44 (0)20 7946 0958").unwrap().as_str(), "+442079460958");
        assert_eq!(validate_phone("+1 1 415 555 2671").unwrap().as_str(), "+14155552671");
        // Found by fuzzing: repeated prefixes are dropped in one pass, never one per pass.
        assert_eq!(validate_phone("+44 00 7946 09958").unwrap().as_str(), "+44794609958");
        assert_eq!(validate_phone("+44 00 20 7946 0958").unwrap().as_str(), "+442079460958");
        // +7: national numbers may start with 8, so a possible length keeps its 8.
        assert_eq!(validate_phone("+7 812 345 67 89").unwrap().as_str(), "+78123456789");
        // Italy has no trunk prefix: the 0 is part of the number.
        assert_eq!(validate_phone("+39 06 6982 1234").unwrap().as_str(), "+390669821234");
    }

    #[test]
    fn applies_libphonenumbers_national_prefix_rules() {
        for (input, want) in [
            // Transform rules: a short number gets its area code.
            ("+261 23 910 65", "+261202391065"),
            ("+672 5 7770", "+672357770"),
            ("+378 812345", "+3780549812345"),
            ("+54 011 15 2345 6789", "+5491123456789"),
            // Prefix patterns: carrier codes and national prefixes of several digits.
            ("+57 05 2839534479", "+572839534479"),
            ("+82 081 2 1234 5678", "+82212345678"),
            ("+375 80 29 123 4567", "+375291234567"),
            ("+86 17951 10 1234 5678", "+861012345678"),
            ("+55 0 15 11 91234 5678", "+5511912345678"),
            // Viability: a prefix is kept when the number as written is viable and the rest is not.
            ("+82 010 1234 5678", "+821012345678"),
            ("+62 0812 3456 7890", "+6281234567890"),
        ] {
            let phone = validate_phone(input).unwrap();
            assert_eq!(phone.as_str(), want, "{input}");
            // Every accepted number validates to itself.
            assert_eq!(validate_phone(want).unwrap().as_str(), want, "{want}");
        }
        // The trunk prefix before 7 Malagasy digits leaves 7 digits: too short, not transformed.
        assert!(err("+261 0 23 910 65").contains("too short"));
    }

    #[test]
    fn programs_are_bounded_on_long_input() {
        // Far beyond any length: every state is tried at most once, and the answer is an error.
        let long = format!("+55 0{}", "1".repeat(200));
        assert_eq!(validate_phone(&long).unwrap_err().code(), "INVALID_PHONE");
        for cc in &CALLING_CODES {
            let digits = "0".repeat(40);
            let _ = cc.prefix.first_match(digits.as_bytes());
            assert!(!cc.viable.is_match(digits.as_bytes()) || cc.viable.len == 0);
        }
    }

    #[test]
    fn accessors() {
        let p = validate_phone("+882 1234 5678").unwrap();
        assert_eq!((p.country_code(), p.national_number()), (882, "12345678"));
        assert_eq!(format!("+{}{}", p.country_code(), p.national_number()), p.as_str());
        let p: PhoneNumber = "+46701234567".parse().unwrap();
        assert_eq!((p.country_code(), p.national_number()), (46, "701234567"));
        assert_eq!(p.to_string(), "+46701234567");
    }

    #[test]
    fn messages_say_what_to_do() {
        assert!(err("0701234567").contains("missing country code"));
        assert!(err("0701234567").contains("+46701234567"));
        assert!(err("0046701234567").contains("00 is a dialling prefix"));
        assert!(err("+0046701234567").contains("00 is a dialling prefix"));
        assert_eq!(err("+999123456789"), "+999 is not an assigned country calling code");
        assert_eq!(err("+28 123456789"), "+28 is not an assigned country calling code");
        assert_eq!(err("+99"), "+99 is too short to be a phone number");
        assert!(err("+0123456789").contains("never start with 0"));
        assert_eq!(
            err("+1415555267"),
            "too short: +1 (US) numbers have 10 digits after the country code, this one has 9"
        );
        assert!(err("+1415555267123").starts_with("too long: +1 (US) numbers have 10 digits"));
        assert!(err("+4670123456789012").contains("at most 15 digits"));
        assert!(err("+46 70 abc").contains("'a'"));
        assert!(err("+46 70/123").contains("'/'"));
        assert!(err("+").contains("no digits"));
        assert!(err("").contains("empty"));
        assert!(err("46+701234567").contains("must come first"));
        assert!(err("+46+701234567").contains("exactly one +"));
    }

    #[test]
    fn lengths_are_described_readably() {
        assert_eq!(describe_lengths(1 << 10), "10");
        assert_eq!(describe_lengths((1 << 7) | (1 << 10)), "7 or 10");
        assert_eq!(describe_lengths((1 << 7) | (1 << 9) | (1 << 10)), "7, 9 or 10");
        assert_eq!(describe_lengths(0b11_1111_1111 << 4), "4 to 13");
        assert_eq!(describe_lengths((1 << 5) | (1 << 6) | (0b111_1111 << 8)), "5, 6 or 8 to 14");
    }

    #[test]
    fn fifteen_digits_is_the_limit() {
        // +49 (DE) allows national numbers up to 15 digits in libphonenumber; E.164 caps the total.
        assert_eq!(validate_phone("+49 1234 5678 9012 3").unwrap().as_str(), "+491234567890123");
        assert!(err("+49 1234 5678 9012 34").contains("at most 15 digits"));
    }
}
