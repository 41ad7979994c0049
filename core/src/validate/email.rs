//! Email addresses (docs/contract.md §2 "Phones and emails").
//!
//! An address is accepted when a mail system will accept it for delivery, with Python's
//! `email-validator` (`check_deliverability=False`) as the reference point:
//!
//! - local part: an RFC 5322 dot-atom (letters, digits and ``!#$%&'*+-/=?^_`{|}~``, plus any
//!   printable non-ASCII character for SMTPUTF8), no leading, trailing or doubled dot, at most
//!   64 octets of UTF-8; quoted local parts (`"a b"@example.com`) are rejected; kept as given;
//! - domain: at least two labels; each label letters, digits and hyphens (Unicode letters and
//!   combining marks allowed: internationalised domains), not starting or ending with `-`, at most
//!   63 octets in its ASCII (Punycode) form, the whole domain at most 253; the top-level label ends
//!   with a letter (no numeric TLDs); no IP literals (`[192.0.2.1]`); not a special-use name that
//!   cannot receive mail (`.test`, `.local`, `.localhost`, `.invalid`, `.onion`, `.arpa`);
//!   normalised to lower case, full-width forms and ideographic full stops mapped to ASCII,
//!   Punycode (`xn--`) labels decoded to Unicode;
//! - the whole address at most 254 octets (as given, as normalised and with an ASCII domain).
//!
//! IDNA is implemented here without Unicode tables (to keep the WASM build small): the
//! Punycode conversion is exact, the IDNA 2008 character classes are approximated (letters,
//! digits and combining marks of the common scripts); see `tests/vectors/README.md`.
//!
//! ```
//! use sendivent::validate::validate_email;
//!
//! let email = validate_email("Ada.Lovelace@Example.COM").unwrap();
//! assert_eq!(email.as_str(), "Ada.Lovelace@example.com");
//! assert_eq!((email.local_part(), email.domain()), ("Ada.Lovelace", "example.com"));
//!
//! let err = validate_email("ada@localhost").unwrap_err();
//! assert_eq!(err.code(), "INVALID_EMAIL");
//! ```

use std::fmt;

use crate::error::{Error, ErrorCode, Result};

/// Most octets of UTF-8 in a local part (RFC 5321 4.5.3.1.1).
pub const MAX_LOCAL_PART_OCTETS: usize = 64;
/// Most octets of UTF-8 in a whole address (RFC 5321 4.5.3.1.3 with errata 1690).
pub const MAX_ADDRESS_OCTETS: usize = 254;
/// Most octets in one domain label (RFC 1035 2.3.1), counted in its ASCII (Punycode) form.
pub const MAX_LABEL_OCTETS: usize = 63;
/// Most octets in a domain name (RFC 1035 2.3.4), counted in its ASCII (Punycode) form.
pub const MAX_DOMAIN_OCTETS: usize = 253;

/// Domains reserved for special use that can never receive Internet mail (RFC 6761, 6762, 7686).
const SPECIAL_USE_DOMAINS: [&str; 6] = ["arpa", "invalid", "local", "localhost", "onion", "test"];

/// A valid, normalised email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email {
    value: String,
    at: usize,
}

impl Email {
    /// The normalised address, `local@domain`.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Consumes into the normalised address.
    pub fn into_string(self) -> String {
        self.value
    }

    /// The local part (before the `@`), exactly as given.
    pub fn local_part(&self) -> &str {
        self.value.get(..self.at).unwrap_or_default()
    }

    /// The normalised domain (after the `@`): lower case, internationalised labels in Unicode.
    pub fn domain(&self) -> &str {
        self.value.get(self.at + 1..).unwrap_or_default()
    }

    /// The domain in its ASCII form, internationalised labels as Punycode (`xn--…`), the form
    /// DNS and non-SMTPUTF8 mail systems use.
    pub fn ascii_domain(&self) -> String {
        self.domain()
            .split('.')
            .map(|label| {
                if label.is_ascii() {
                    label.to_owned()
                } else {
                    let chars: Vec<char> = label.chars().collect();
                    punycode::encode(&chars).map(|p| format!("xn--{p}")).unwrap_or_else(|| label.to_owned())
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.value
    }
}

impl std::str::FromStr for Email {
    type Err = Error;

    fn from_str(s: &str) -> Result<Email> {
        validate_email(s)
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid(ErrorCode::InvalidEmail, message)
}

/// Validates an email address and normalises its domain.
///
/// Surrounding whitespace is ignored. Errors carry [`ErrorCode::InvalidEmail`] and a message
/// naming the rule that was broken.
pub fn validate_email(input: &str) -> Result<Email> {
    let s = input.trim();
    if s.is_empty() {
        return Err(invalid("the email address is empty"));
    }
    if s.contains('<') || s.contains('>') {
        return Err(invalid("write only the address, without a display name or angle brackets: ada@example.com"));
    }
    if s.starts_with('"') {
        return Err(invalid("quoted local parts (\"...\"@example.com) are not accepted"));
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Err(invalid("an email address needs an @, like ada@example.com"));
    };
    if local.is_empty() {
        return Err(invalid("there must be something before the @"));
    }
    if domain.is_empty() {
        return Err(invalid("there must be a domain after the @, like example.com"));
    }
    check_local_part(local)?;
    if domain.contains('@') {
        return Err(invalid("an email address has exactly one @"));
    }
    let domain = normalize_domain(domain)?;
    let normalized = format!("{local}@{}", domain.unicode);
    for (form, len) in [
        ("", s.len()),
        (" after normalisation", normalized.len()),
        (" with the domain in ASCII (Punycode)", local.len() + 1 + domain.ascii_len),
    ] {
        if len > MAX_ADDRESS_OCTETS {
            return Err(invalid(format!(
                "the address is too long: at most {MAX_ADDRESS_OCTETS} bytes, this one has {len}{form}"
            )));
        }
    }
    Ok(Email { at: local.len(), value: normalized })
}

fn check_local_part(local: &str) -> Result<()> {
    let mut previous = None;
    for (i, c) in local.chars().enumerate() {
        if c == '"' {
            return Err(invalid("quoted local parts and quotes before the @ are not accepted"));
        }
        if c == ' ' {
            return Err(invalid("the part before the @ cannot contain spaces"));
        }
        let allowed =
            if c.is_ascii() { is_atext(c) || c == '.' } else { is_safe_unicode(c) && !(i == 0 && is_mark(c)) };
        if !allowed {
            return Err(invalid(format!("the part before the @ cannot contain {}", describe_char(c))));
        }
        if c == '.' && previous == Some('.') {
            return Err(invalid("the part before the @ cannot have two dots in a row"));
        }
        previous = Some(c);
    }
    if local.starts_with('.') {
        return Err(invalid("the part before the @ cannot start with a dot"));
    }
    if local.ends_with('.') {
        return Err(invalid("the part before the @ cannot end with a dot"));
    }
    if local.len() > MAX_LOCAL_PART_OCTETS {
        return Err(invalid(format!(
            "the part before the @ is too long: at most {MAX_LOCAL_PART_OCTETS} bytes, this one has {}",
            local.len()
        )));
    }
    Ok(())
}

struct NormalizedDomain {
    unicode: String,
    ascii_len: usize,
}

fn normalize_domain(domain: &str) -> Result<NormalizedDomain> {
    if domain.starts_with('[') {
        return Err(invalid("IP address literals such as [192.0.2.1] are not accepted: use the domain name"));
    }
    // Checked up front as email-validator does: the later steps can only grow the ASCII form.
    let chars = domain.chars().count();
    if chars > MAX_DOMAIN_OCTETS {
        return Err(invalid(format!(
            "the domain is too long: at most {MAX_DOMAIN_OCTETS} characters, this one has {chars}"
        )));
    }
    let mut mapped = String::with_capacity(domain.len());
    for c in domain.chars() {
        let c = map_width(c);
        if c.is_ascii() {
            if !(c.is_ascii_alphanumeric() || c == '-' || c == '.') {
                return Err(invalid(format!(
                    "the domain may contain only letters, digits, hyphens and dots, not {}",
                    describe_char(c)
                )));
            }
            mapped.push(c.to_ascii_lowercase());
        } else if !is_domain_char(c) {
            return Err(invalid(format!(
                "the domain may contain only letters, digits, hyphens and dots, not {}",
                describe_char(c)
            )));
        } else {
            match cherokee_upper(c) {
                Some(upper) => mapped.push(upper),
                None => mapped.extend(c.to_lowercase()),
            }
        }
    }
    if mapped.starts_with('.') {
        return Err(invalid("the domain cannot start with a dot"));
    }
    if mapped.ends_with('.') {
        return Err(invalid("the domain cannot end with a dot"));
    }
    if mapped.contains("..") {
        return Err(invalid("the domain cannot have two dots in a row"));
    }
    let mut unicode_labels: Vec<String> = Vec::new();
    let mut ascii_len = 0;
    for label in mapped.split('.') {
        let (unicode, ascii) = normalize_label(label)?;
        ascii_len += ascii.len() + usize::from(!unicode_labels.is_empty());
        unicode_labels.push(unicode);
        if ascii.len() > MAX_LABEL_OCTETS {
            return Err(invalid(format!(
                "each part of the domain between dots is at most {MAX_LABEL_OCTETS} bytes, one has {}{}",
                ascii.len(),
                if ascii.starts_with("xn--") { " in its ASCII (Punycode) form" } else { "" }
            )));
        }
    }
    if ascii_len > MAX_DOMAIN_OCTETS {
        return Err(invalid(format!(
            "the domain is too long: at most {MAX_DOMAIN_OCTETS} bytes in its ASCII form, this one has {ascii_len}"
        )));
    }
    check_bidi(&unicode_labels)?;
    let Some((tld, _)) = unicode_labels.split_last().filter(|(_, rest)| !rest.is_empty()) else {
        return Err(invalid("the domain needs at least two labels, like example.com"));
    };
    // All top-level domains end with a letter. Like email-validator, the rule applies to the ASCII
    // form, so an internationalised TLD is checked as Punycode.
    let tld_ends_with_letter = if tld.is_ascii() {
        tld.ends_with(|c: char| c.is_ascii_alphabetic())
    } else {
        ascii_form_ends_with_letter(tld)
    };
    if !tld_ends_with_letter {
        return Err(invalid("the top-level domain (after the last dot) must end with a letter, like .com"));
    }
    // Every special-use name is a single label, so "is it or ends with .<name>" is "is the TLD".
    if let Some(special) = SPECIAL_USE_DOMAINS.iter().find(|special| tld == *special) {
        return Err(invalid(format!(".{special} is a special-use domain that cannot receive email")));
    }
    Ok(NormalizedDomain { unicode: unicode_labels.join("."), ascii_len })
}

fn ascii_form_ends_with_letter(label: &str) -> bool {
    let chars: Vec<char> = label.chars().collect();
    punycode::encode(&chars).is_some_and(|p| p.ends_with(|c: char| c.is_ascii_alphabetic()))
}

/// Checks one lower-cased label; returns its Unicode form and its ASCII form.
fn normalize_label(label: &str) -> Result<(String, String)> {
    check_hyphens(label, true)?;
    if label.is_ascii() {
        if let Some(encoded) = label.strip_prefix("xn--") {
            if label.len() > MAX_LABEL_OCTETS {
                return Ok((label.to_owned(), label.to_owned()));
            }
            let bad_punycode = || invalid("a domain label starting with xn-- is not valid Punycode");
            let decoded = punycode::decode(encoded).ok_or_else(bad_punycode)?;
            if decoded.is_ascii() || punycode::encode(&decoded.chars().collect::<Vec<_>>()).as_deref() != Some(encoded)
            {
                return Err(bad_punycode());
            }
            // The decoded U-label obeys the same hyphen rules (and may not look like Punycode).
            check_hyphens(&decoded, false).map_err(|_| bad_punycode())?;
            check_unicode_label(&decoded)?;
            // The U-label must be what the Unicode form maps to, or the result would validate to
            // something else: no full-width forms (UTS 46 maps them to ASCII), no upper-case
            // letters (not valid in IDNA 2008 labels) except Cherokee's historic upper-case
            // letters (PVALID before Unicode 8 gave them lower-case forms).
            let not_normalised = |c: char| {
                map_width(c) != c
                    || match cherokee_upper(c) {
                        Some(upper) => upper != c,
                        None => c.to_lowercase().ne([c]),
                    }
            };
            if decoded.chars().any(not_normalised) {
                return Err(bad_punycode());
            }
            return Ok((decoded, label.to_owned()));
        }
        return Ok((label.to_owned(), label.to_owned()));
    }
    check_unicode_label(label)?;
    let chars: Vec<char> = label.chars().collect();
    let encoded =
        punycode::encode(&chars).ok_or_else(|| invalid("a part of the domain cannot be encoded as Punycode"))?;
    Ok((label.to_owned(), format!("xn--{encoded}")))
}

/// No hyphen first or last; no hyphens in the third and fourth places (RFC 5891 4.2.3.1), except
/// for the `xn--` of an A-label when `allow_xn` is set.
fn check_hyphens(label: &str, allow_xn: bool) -> Result<()> {
    if label.starts_with('-') {
        return Err(invalid("a part of the domain cannot start with a hyphen"));
    }
    if label.ends_with('-') {
        return Err(invalid("a part of the domain cannot end with a hyphen"));
    }
    let mut chars = label.chars();
    let first_two: String = chars.by_ref().take(2).collect();
    let third_fourth: String = chars.take(2).collect();
    if third_fourth == "--" && !(allow_xn && first_two == "xn") {
        return Err(invalid(
            "a part of the domain cannot have hyphens in the third and fourth places unless it is Punycode (xn--)",
        ));
    }
    Ok(())
}

fn check_unicode_label(label: &str) -> Result<()> {
    if label.chars().next().is_some_and(is_mark) {
        return Err(invalid("a part of the domain cannot start with a combining mark"));
    }
    if let Some(c) =
        label.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || (!c.is_ascii() && is_domain_char(*c))))
    {
        return Err(invalid(format!("the domain cannot contain {}", describe_char(c))));
    }
    Ok(())
}

/// UTS 46 maps Cherokee to its upper-case letters (IDNA 2008 has them PVALID from before Unicode
/// 8 gave Cherokee lower-case forms); `None` for other characters.
fn cherokee_upper(c: char) -> Option<char> {
    let u = c as u32;
    match u {
        0x13A0..=0x13F5 => Some(c),
        0xAB70..=0xABBF => char::from_u32(u - 0xAB70 + 0x13A0),
        0x13F8..=0x13FD => char::from_u32(u - 8),
        _ => None,
    }
}

/// RFC 5322 `atext`.
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
}

/// Full-width ASCII forms and the ideographic full stops, as UTS 46 maps them.
fn map_width(c: char) -> char {
    match c {
        '\u{3002}' | '\u{FF0E}' | '\u{FF61}' => '.',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A non-ASCII character allowed in an internationalised domain label: a letter, a decimal digit
/// or a combining mark (an approximation of IDNA 2008's PVALID without its tables).
fn is_domain_char(c: char) -> bool {
    // Number forms (Roman numerals, fractions) are alphabetic or numeric but not valid in labels.
    let number_form = ('\u{2150}'..='\u{218F}').contains(&c);
    is_safe_unicode(c) && !number_form && (c.is_alphabetic() || is_decimal_digit(c) || is_mark(c))
}

/// Decimal digits (Nd) of the scripts used in domain names; other numerals (fractions, circled or
/// superscript digits) are not allowed in IDNA 2008 labels.
fn is_decimal_digit(c: char) -> bool {
    let u = c as u32;
    [
        0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0, 0xF20,
        0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0,
        0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    ]
    .iter()
    .any(|zero| (*zero..zero + 10).contains(&u))
}

/// The bidirectional class of a domain character, as far as the Bidi Rule (RFC 5893) needs it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bidi {
    /// Left-to-right letters (Latin, Cyrillic, CJK, Indic...).
    L,
    /// Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko...).
    R,
    /// Arabic-Indic digits.
    An,
    /// European digits (ASCII, extended Arabic-Indic).
    En,
    /// The hyphen.
    Es,
    /// Non-spacing marks, which take the direction of what they follow.
    Nsm,
}

fn bidi_class(c: char) -> Bidi {
    let u = c as u32;
    match u {
        0x30..=0x39 | 0x6F0..=0x6F9 => Bidi::En,
        0x660..=0x669 => Bidi::An,
        0x2D => Bidi::Es,
        _ if is_mark(c) => Bidi::Nsm,
        0x591..=0x5C7 | 0x610..=0x61A | 0x64B..=0x65F | 0x670 | 0x6D6..=0x6ED => Bidi::Nsm,
        0x590..=0x8FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF => Bidi::R,
        _ => Bidi::L,
    }
}

/// The Bidi Rule (RFC 5893 section 2), applied to every label once any label is right-to-left.
fn check_bidi(labels: &[String]) -> Result<()> {
    let rtl_domain = labels.iter().flat_map(|l| l.chars()).any(|c| matches!(bidi_class(c), Bidi::R | Bidi::An));
    if !rtl_domain {
        return Ok(());
    }
    let fail = || {
        invalid(
            "a domain with right-to-left labels must follow the IDNA Bidi Rule: every label starts with a letter, \
             and right-to-left and left-to-right letters are not mixed within a label",
        )
    };
    for label in labels {
        let classes: Vec<Bidi> = label.chars().map(bidi_class).collect();
        let first = classes.first().copied().ok_or_else(fail)?;
        let last = classes.iter().rev().find(|c| **c != Bidi::Nsm).copied().ok_or_else(fail)?;
        let ok = match first {
            Bidi::R => {
                classes.iter().all(|c| *c != Bidi::L)
                    && matches!(last, Bidi::R | Bidi::En | Bidi::An)
                    && !(classes.contains(&Bidi::En) && classes.contains(&Bidi::An))
            }
            Bidi::L => {
                classes.iter().all(|c| matches!(c, Bidi::L | Bidi::En | Bidi::Es | Bidi::Nsm))
                    && matches!(last, Bidi::L | Bidi::En)
            }
            _ => false,
        };
        if !ok {
            return Err(fail());
        }
    }
    Ok(())
}

/// Not whitespace, a control or format character, private use or a noncharacter.
fn is_safe_unicode(c: char) -> bool {
    let u = c as u32;
    !(c.is_whitespace()
        || c.is_control()
        || is_format(u)
        || (0xE000..=0xF8FF).contains(&u)
        || u >= 0xF0000
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE)
}

/// Unicode general category Cf (format characters: invisible, bidi controls, soft hyphen...).
fn is_format(u: u32) -> bool {
    matches!(
        u,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

/// Combining marks (Mn/Mc/Me) of the common scripts, including the vowel signs of the Brahmic
/// scripts (which are alphabetic, but cannot start a label or a local part).
fn is_mark(c: char) -> bool {
    let u = c as u32;
    if (0x900..=0xDFF).contains(&u) {
        // The nine Indic blocks share one layout: signs at these offsets, letters elsewhere.
        let offset = u & 0x7F;
        return offset <= 0x03
            || ((0x3A..=0x4F).contains(&offset) && offset != 0x3D)
            || (0x51..=0x57).contains(&offset)
            || (0x62..=0x63).contains(&offset)
            || matches!(u, 0x9FE | 0xA70..=0xA71 | 0xA75 | 0xAFA..=0xAFF | 0xDF2..=0xDF3);
    }
    matches!(
        u,
        0x300..=0x36F
            | 0x483..=0x489
            | 0x591..=0x5BD
            | 0x5BF
            | 0x5C1..=0x5C2
            | 0x5C4..=0x5C5
            | 0x5C7
            | 0x610..=0x61A
            | 0x64B..=0x65F
            | 0x670
            | 0x6D6..=0x6DC
            | 0x6DF..=0x6E4
            | 0x6E7..=0x6E8
            | 0x6EA..=0x6ED
            | 0xE31
            | 0xE34..=0xE3A
            | 0xE47..=0xE4E
            | 0xEB1
            | 0xEB4..=0xEBC
            | 0xEC8..=0xECE
            | 0xF18..=0xF19
            | 0xF35
            | 0xF37
            | 0xF39
            | 0xF3E..=0xF3F
            | 0xF71..=0xF84
            | 0xF86..=0xF87
            | 0xF8D..=0xFBC
            | 0xFC6
            | 0x102B..=0x103E
            | 0x1056..=0x1059
            | 0x105E..=0x1060
            | 0x1062..=0x1064
            | 0x1067..=0x106D
            | 0x1071..=0x1074
            | 0x1082..=0x108D
            | 0x108F
            | 0x109A..=0x109D
            | 0x17B4..=0x17D3
            | 0x17DD
            | 0x1AB0..=0x1AFF
            | 0x1DC0..=0x1DFF
            | 0x20D0..=0x20F0
            | 0x302A..=0x302F
            | 0x3099..=0x309A
            | 0xFE20..=0xFE2F
    )
}

/// A character for an error message: printable ones quoted, the others by code point.
fn describe_char(c: char) -> String {
    if c == ' ' {
        "a space".to_owned()
    } else if c.is_whitespace() || c.is_control() || !is_safe_unicode(c) {
        format!("the invisible or control character U+{:04X}", c as u32)
    } else {
        format!("{c:?}")
    }
}

/// Punycode (RFC 3492), for the ASCII form of internationalised domain labels.
mod punycode {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    const INITIAL_BIAS: u32 = 72;
    const INITIAL_N: u32 = 128;

    fn adapt(delta: u32, num_points: u32, first: bool) -> u32 {
        let mut delta = if first { delta / DAMP } else { delta / 2 };
        delta += delta / num_points;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * delta / (delta + SKEW)
    }

    fn threshold(k: u32, bias: u32) -> u32 {
        if k <= bias {
            TMIN
        } else if k >= bias + TMAX {
            TMAX
        } else {
            k - bias
        }
    }

    fn digit_char(d: u32) -> char {
        let byte = if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 };
        char::from(byte)
    }

    /// Encodes a label (without the `xn--` prefix). `None` on arithmetic overflow.
    pub(super) fn encode(input: &[char]) -> Option<String> {
        let mut out: String = input.iter().filter(|c| c.is_ascii()).collect();
        let basic = u32::try_from(out.len()).ok()?;
        let total = u32::try_from(input.len()).ok()?;
        if basic > 0 {
            out.push('-');
        }
        let (mut n, mut delta, mut bias, mut handled) = (INITIAL_N, 0u32, INITIAL_BIAS, basic);
        while handled < total {
            let m = input.iter().map(|&c| c as u32).filter(|&c| c >= n).min()?;
            delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
            n = m;
            for &c in input {
                let c = c as u32;
                if c < n {
                    delta = delta.checked_add(1)?;
                }
                if c == n {
                    let mut q = delta;
                    let mut k = BASE;
                    loop {
                        let t = threshold(k, bias);
                        if q < t {
                            break;
                        }
                        out.push(digit_char(t + (q - t) % (BASE - t)));
                        q = (q - t) / (BASE - t);
                        k += BASE;
                    }
                    out.push(digit_char(q));
                    bias = adapt(delta, handled + 1, handled == basic);
                    delta = 0;
                    handled += 1;
                }
            }
            delta = delta.checked_add(1)?;
            n = n.checked_add(1)?;
        }
        Some(out)
    }

    /// Decodes a label (without the `xn--` prefix). `None` when it is not valid Punycode.
    pub(super) fn decode(input: &str) -> Option<String> {
        let (basic, extended) = match input.rfind('-') {
            Some(i) => (input.get(..i)?, input.get(i + 1..)?),
            None => ("", input),
        };
        let mut out: Vec<char> = basic.chars().collect();
        if !basic.is_ascii() {
            return None;
        }
        let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
        let mut bytes = extended.bytes().peekable();
        while bytes.peek().is_some() {
            let old_i = i;
            let mut w = 1u32;
            let mut k = BASE;
            loop {
                let digit = match bytes.next()? {
                    b @ b'a'..=b'z' => u32::from(b - b'a'),
                    b @ b'A'..=b'Z' => u32::from(b - b'A'),
                    b @ b'0'..=b'9' => u32::from(b - b'0') + 26,
                    _ => return None,
                };
                i = i.checked_add(digit.checked_mul(w)?)?;
                let t = threshold(k, bias);
                if digit < t {
                    break;
                }
                w = w.checked_mul(BASE - t)?;
                k += BASE;
            }
            let len = u32::try_from(out.len()).ok()?.checked_add(1)?;
            bias = adapt(i - old_i, len, old_i == 0);
            n = n.checked_add(i / len)?;
            i %= len;
            out.insert(usize::try_from(i).ok()?, char::from_u32(n)?);
            i += 1;
        }
        Some(out.into_iter().collect())
    }

    #[cfg(test)]
    mod tests {
        #![allow(clippy::unwrap_used, clippy::expect_used)]
        use super::*;

        #[test]
        fn rfc_3492_samples_round_trip() {
            for (unicode, ascii) in [
                ("bücher", "bcher-kva"),
                ("münchen", "mnchen-3ya"),
                ("例え", "r8jz45g"),
                ("пример", "e1afmkfd"),
                ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
                ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
            ] {
                let chars: Vec<char> = unicode.chars().collect();
                assert_eq!(encode(&chars).unwrap(), ascii);
                assert_eq!(decode(ascii).unwrap(), unicode);
            }
            assert_eq!(decode("a-b-c$"), None);
            assert_eq!(decode("99999999999"), None);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn ok(input: &str) -> String {
        validate_email(input).unwrap_or_else(|e| panic!("{input:?}: {e}")).into_string()
    }

    fn err(input: &str) -> String {
        let e = validate_email(input).unwrap_err();
        assert_eq!(e.code(), "INVALID_EMAIL", "{input:?}");
        e.message()
    }

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(ok(" Ada@Example.COM "), "Ada@example.com");
        assert_eq!(ok("first.last+tag@sub.example.co.uk"), "first.last+tag@sub.example.co.uk");
        assert_eq!(ok("!#$%&'*+-/=?^_`{|}~@example.org"), "!#$%&'*+-/=?^_`{|}~@example.org");
        assert_eq!(ok("用户@例子.广告"), "用户@例子.广告");
        assert_eq!(ok("josé@BÜCHER.de"), "josé@bücher.de");
        assert_eq!(ok("a@xn--bcher-kva.de"), "a@bücher.de");
        // Cherokee keeps its upper-case letters (UTS 46 maps the lower-case ones to them).
        assert_eq!(ok("a@\u{AB98}.com"), "a@\u{13C8}.com");
        assert_eq!(ok("a@\u{13C8}.com"), "a@\u{13C8}.com");
        let lower_cherokee_a_label = format!("a@xn--{}.com", punycode::encode(&['\u{AB98}']).unwrap());
        assert!(err(&lower_cherokee_a_label).contains("Punycode"));
        assert_eq!(ok("a@ＥＸＡＭＰＬＥ。com"), "a@example.com");
        assert_eq!(ok("a@пример.рф"), "a@пример.рф");
        assert_eq!(ok("a@हिन्दी.भारत"), "a@हिन्दी.भारत");
    }

    #[test]
    fn accessors() {
        let e = validate_email("Ada@Bücher.DE").unwrap();
        assert_eq!((e.local_part(), e.domain()), ("Ada", "bücher.de"));
        assert_eq!(e.ascii_domain(), "xn--bcher-kva.de");
        assert_eq!(e.to_string(), "Ada@bücher.de");
    }

    #[test]
    fn messages_name_the_rule() {
        assert!(err("ada").contains("needs an @"));
        assert!(err("@example.com").contains("before the @"));
        assert!(err("ada@").contains("after the @"));
        assert!(err(".ada@example.com").contains("start with a dot"));
        assert!(err("ada.@example.com").contains("end with a dot"));
        assert!(err("a..da@example.com").contains("two dots"));
        assert!(err("a da@example.com").contains("spaces"));
        assert!(err("\"a b\"@example.com").contains("quoted"));
        assert!(err("Ada <ada@example.com>").contains("display name"));
        assert!(err("ada@example").contains("at least two labels, like example.com"));
        assert!(err("ada@example.123").contains("end with a letter"));
        assert!(err("ada@[192.0.2.1]").contains("IP address"));
        assert!(err("ada@-example.com").contains("start with a hyphen"));
        assert!(err("ada@example-.com").contains("end with a hyphen"));
        assert!(err("ada@ex..com").contains("two dots"));
        assert!(err("ada@example.com.").contains("end with a dot"));
        assert!(err("ada@ex_ample.com").contains("'_'"));
        assert!(err("ada@ab--cd.com").contains("third and fourth"));
        assert!(err("ada@xn--zz.com").contains("Punycode"));
        // Found by fuzzing: A-labels whose U-label breaks the hyphen rules.
        assert!(err("ada@xn--exanxm--ple.c").contains("Punycode"));
        assert!(err("a@xn--bqmplaaaaaaaaaaaaxn--bqmplemple.com").contains("Punycode"));
        assert!(err("ada@foo.test").contains(".test is a special-use domain"));
        assert!(err("ada@localhost").contains("two labels"));
        assert!(err("a@b@example.com").contains("exactly one @"));
        assert!(err("ada\u{200B}@example.com").contains("U+200B"));
        assert!(err("ada@☃.com").contains("'☃'"));
    }

    #[test]
    fn length_limits() {
        let local64 = "a".repeat(64);
        assert_eq!(ok(&format!("{local64}@example.com")).len(), 76);
        assert!(err(&format!("{}@example.com", "a".repeat(65))).contains("at most 64 bytes, this one has 65"));
        // 32 two-byte letters are 64 octets; 33 are 66.
        ok(&format!("{}@example.com", "é".repeat(32)));
        assert!(err(&format!("{}@example.com", "é".repeat(33))).contains("66"));
        let label63 = "b".repeat(63);
        ok(&format!("a@{label63}.com"));
        assert!(err(&format!("a@{}.com", "b".repeat(64))).contains("at most 63 bytes"));
        // 254 octets in all: 64 + 1 + 189.
        let domain189 = format!("{}.{}.{}.com", "c".repeat(61), "d".repeat(61), "e".repeat(61));
        assert_eq!(domain189.len(), 189);
        assert_eq!(ok(&format!("{local64}@{domain189}")).len(), 254);
        assert!(err(&format!("{local64}@x{domain189}")).contains("at most 254 bytes"));
        // Punycode form over 63 octets although the Unicode form is short.
        // 21 characters, 63 octets of UTF-8, 64 octets as Punycode.
        assert!(err("a@嫠げぢ斦ぃ陽趶ぶ蜥羍諛ん椫蒧嶒け偆螳糔ゑ裴.com").contains("64 in its ASCII (Punycode) form"));
    }
}
