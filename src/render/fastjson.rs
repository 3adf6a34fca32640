//! A serde serializer for the shapes reports have (structs, sequences,
//! maps with string keys, strings, numbers, options, unit variants), writing
//! exactly serde_json's bytes, pretty or compact, into a buffer. It exists
//! for speed: serde_json looks up every byte of every string in its escape
//! table and writes it in pieces, which was a tenth of a check of answers
//! against the shipped bank; here a string is checked for the three kinds
//! of byte that need escaping (a long one in a pass the compiler
//! vectorizes) and then copied whole. Numbers are written by serde_json's own
//! formatter, a string that needs escaping by serde_json itself, and any
//! other shape (or a value's own error) gives [`Unsupported`], on which the
//! caller writes the value with serde_json instead: the bytes are the same
//! either way.

use serde::ser::{self, Serialize};
use serde_json::ser::{CompactFormatter, Formatter};

use super::stream::pretty_line;

/// A shape this serializer leaves to serde_json.
#[derive(Debug)]
pub(crate) struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a shape left to serde_json")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        Unsupported
    }
}

/// Appends `value` to `out` as serde_json writes it: pretty (two spaces a
/// level, starting `depth` levels in) or compact. On [`Unsupported`], `out`
/// may hold part of the value; the caller cuts it back.
pub(crate) fn write<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
    pretty: Option<usize>,
) -> Result<(), Unsupported> {
    let mut ser = Fast {
        out,
        level: pretty.unwrap_or(0),
        pretty: pretty.is_some(),
    };
    value.serialize(&mut ser)
}

struct Fast<'a> {
    out: &'a mut Vec<u8>,
    level: usize,
    pretty: bool,
}

/// True when no byte of `s` needs escaping in JSON: a control character,
/// `"` or `\`. Keys and short values are looked up byte by byte (eight
/// bytes at a time in a word was slower); longer text is tested without an
/// early exit, which the compiler vectorizes.
#[inline]
fn plain(s: &[u8]) -> bool {
    const fn table() -> [bool; 256] {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            t[b] = true;
            b += 1;
        }
        t[b'"' as usize] = true;
        t[b'\\' as usize] = true;
        t
    }
    static ESCAPED: [bool; 256] = table();
    if s.len() < 32 {
        return !s.iter().any(|&b| ESCAPED[usize::from(b)]);
    }
    s.iter().fold(0u8, |any, &b| {
        any | u8::from(b < 0x20 || b == b'"' || b == b'\\')
    }) == 0
}

fn string(out: &mut Vec<u8>, s: &str) {
    if plain(s.as_bytes()) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(&mut *out, s).expect("a string serializes into memory");
    }
}

impl<'a> Fast<'a> {
    /// An array or object opened with `bracket`.
    fn begin<'s>(&'s mut self, bracket: u8) -> Compound<'s, 'a> {
        self.level += 1;
        self.out.push(bracket);
        Compound {
            ser: self,
            first: true,
        }
    }

    fn close(&mut self, bracket: u8, any: bool) {
        self.level -= 1;
        if any && self.pretty {
            self.line(true);
        }
        self.out.push(bracket);
    }

    /// Before an element or a key: the separator and, when pretty, the line.
    fn item(&mut self, first: bool) {
        if self.pretty {
            self.line(first);
        } else if !first {
            self.out.push(b',');
        }
    }

    fn line(&mut self, first: bool) {
        pretty_line(self.out, first, self.level).expect("a Vec takes every write");
    }

    fn colon(&mut self) {
        self.out
            .extend_from_slice(if self.pretty { b": " } else { b":" });
    }
}

/// An array or object being written.
struct Compound<'s, 'a> {
    ser: &'s mut Fast<'a>,
    first: bool,
}

impl Compound<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.ser.item(self.first);
        self.first = false;
        value.serialize(&mut *self.ser)
    }

    fn finish(self, bracket: u8) -> Result<(), Unsupported> {
        self.ser.close(bracket, !self.first);
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Unsupported> {
        self.ser.item(self.first);
        self.first = false;
        string(self.ser.out, key);
        self.ser.colon();
        value.serialize(&mut *self.ser)
    }
}

macro_rules! number {
    ($($method:ident($ty:ty) => $write:ident;)*) => {
        $(fn $method(self, v: $ty) -> Result<(), Unsupported> {
            CompactFormatter.$write(self.out, v).map_err(|_| Unsupported)
        })*
    };
}

/// Floats as serde_json writes them: `null` unless finite.
macro_rules! float {
    ($($method:ident($ty:ty) => $write:ident;)*) => {
        $(fn $method(self, v: $ty) -> Result<(), Unsupported> {
            if !v.is_finite() {
                return self.serialize_unit();
            }
            CompactFormatter.$write(self.out, v).map_err(|_| Unsupported)
        })*
    };
}

/// Methods of a serializer that leave a shape to serde_json.
macro_rules! refuse {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<$ok, Unsupported> {
            Err(Unsupported)
        })*
    };
}

/// A character and a unit variant are strings; a newtype struct is what
/// it holds (as serde_json writes them, in a value or as a map key).
macro_rules! as_strings {
    () => {
        fn serialize_char(self, v: char) -> Result<(), Unsupported> {
            self.serialize_str(v.encode_utf8(&mut [0; 4]))
        }

        fn serialize_unit_variant(
            self,
            _name: &'static str,
            _index: u32,
            variant: &'static str,
        ) -> Result<(), Unsupported> {
            self.serialize_str(variant)
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _name: &'static str,
            value: &T,
        ) -> Result<(), Unsupported> {
            value.serialize(self)
        }
    };
}

/// Tuple structs and the variants that carry fields, which no report has.
macro_rules! refuse_variants {
    () => {
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _name: &'static str,
            _index: u32,
            _variant: &'static str,
            _value: &T,
        ) -> Result<(), Unsupported> {
            Err(Unsupported)
        }

        refuse! {
            serialize_tuple_struct(_name: &'static str, _len: usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(
                _name: &'static str, _index: u32, _variant: &'static str, _len: usize
            ) -> Self::SerializeTupleVariant;
            serialize_struct_variant(
                _name: &'static str, _index: u32, _variant: &'static str, _len: usize
            ) -> Self::SerializeStructVariant;
        }
    };
}

impl<'s, 'a> ser::Serializer for &'s mut Fast<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'s, 'a>;
    type SerializeTuple = Compound<'s, 'a>;
    type SerializeTupleStruct = ser::Impossible<(), Unsupported>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = Compound<'s, 'a>;
    type SerializeStruct = Compound<'s, 'a>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    number! {
        serialize_i8(i8) => write_i8;
        serialize_i16(i16) => write_i16;
        serialize_i32(i32) => write_i32;
        serialize_i64(i64) => write_i64;
        serialize_u8(u8) => write_u8;
        serialize_u16(u16) => write_u16;
        serialize_u32(u32) => write_u32;
        serialize_u64(u64) => write_u64;
    }

    float! {
        serialize_f32(f32) => write_f32;
        serialize_f64(f64) => write_f64;
    }

    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        string(self.out, v);
        Ok(())
    }

    as_strings!();

    refuse! {
        serialize_bytes(_v: &[u8]) -> ();
    }

    fn serialize_none(self) -> Result<(), Unsupported> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Unsupported> {
        self.serialize_unit()
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'s, 'a>, Unsupported> {
        Ok(self.begin(b'['))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'s, 'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }

    refuse_variants!();

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'s, 'a>, Unsupported> {
        Ok(self.begin(b'{'))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Compound<'s, 'a>, Unsupported> {
        // serde_json's raw values and arbitrary-precision numbers are
        // structs it recognises by name.
        if name.starts_with("$serde_json") {
            return Err(Unsupported);
        }
        self.serialize_map(Some(len))
    }
}

/// Sequences and tuples are arrays.
macro_rules! array {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Unsupported;

            fn serialize_element<T: Serialize + ?Sized>(
                &mut self,
                value: &T,
            ) -> Result<(), Unsupported> {
                self.element(value)
            }

            fn end(self) -> Result<(), Unsupported> {
                self.finish(b']')
            }
        })*
    };
}

array!(SerializeSeq, SerializeTuple);

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Unsupported> {
        self.finish(b'}')
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.ser.item(self.first);
        self.first = false;
        key.serialize(KeySerializer(self.ser.out))?;
        self.ser.colon();
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        value.serialize(&mut *self.ser)
    }

    fn end(self) -> Result<(), Unsupported> {
        self.finish(b'}')
    }
}

/// A map key: a string; anything else is left to serde_json (which quotes
/// numbers and booleans).
struct KeySerializer<'a>(&'a mut Vec<u8>);

impl ser::Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = ser::Impossible<(), Unsupported>;
    type SerializeTuple = ser::Impossible<(), Unsupported>;
    type SerializeTupleStruct = ser::Impossible<(), Unsupported>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = ser::Impossible<(), Unsupported>;
    type SerializeStruct = ser::Impossible<(), Unsupported>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        string(self.0, v);
        Ok(())
    }

    as_strings!();

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Unsupported> {
        Err(Unsupported)
    }

    refuse! {
        serialize_bool(_v: bool) -> ();
        serialize_i8(_v: i8) -> ();
        serialize_i16(_v: i16) -> ();
        serialize_i32(_v: i32) -> ();
        serialize_i64(_v: i64) -> ();
        serialize_u8(_v: u8) -> ();
        serialize_u16(_v: u16) -> ();
        serialize_u32(_v: u32) -> ();
        serialize_u64(_v: u64) -> ();
        serialize_f32(_v: f32) -> ();
        serialize_f64(_v: f64) -> ();
        serialize_bytes(_v: &[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(_name: &'static str) -> ();
        serialize_seq(_len: Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(_len: usize) -> Self::SerializeTuple;
        serialize_map(_len: Option<usize>) -> Self::SerializeMap;
        serialize_struct(_name: &'static str, _len: usize) -> Self::SerializeStruct;
    }

    refuse_variants!();
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Technical,
        Behavioral,
    }

    #[derive(Serialize)]
    struct Inner {
        text: String,
        line: u32,
        at: Option<f64>,
        empty: Vec<u8>,
        nothing: BTreeMap<String, u8>,
    }

    #[derive(Serialize)]
    struct Sample {
        name: &'static str,
        kind: Kind,
        other: Kind,
        score: f64,
        small: f32,
        big: u64,
        negative: i64,
        pass: bool,
        letter: char,
        missing: Option<String>,
        inner: Vec<Inner>,
        pairs: Vec<(String, f64)>,
        map: BTreeMap<String, Vec<i32>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    fn sample() -> Sample {
        Sample {
            name: "quotes \" and \\ and \u{1} \n\t\r\u{8}\u{c}\u{1f} é 中 \u{7f}",
            kind: Kind::Technical,
            other: Kind::Behavioral,
            score: 66.66666666666667,
            small: 0.1,
            big: u64::MAX,
            negative: i64::MIN,
            pass: false,
            letter: '"',
            missing: None,
            inner: vec![
                Inner {
                    text: "plain sentence.".into(),
                    line: 4,
                    at: Some(f64::NAN),
                    empty: Vec::new(),
                    nothing: BTreeMap::new(),
                },
                Inner {
                    text: String::new(),
                    line: 0,
                    at: Some(1e300),
                    empty: vec![1, 2],
                    nothing: BTreeMap::from([("k\"ey".to_string(), 3)]),
                },
            ],
            pairs: vec![("a".into(), -0.0), ("b".into(), f64::INFINITY)],
            map: BTreeMap::from([("x".into(), vec![]), ("y".into(), vec![-1, 7])]),
            skipped: None,
        }
    }

    #[test]
    fn pretty_and_compact_are_serde_jsons_bytes() {
        let s = sample();
        let mut out = Vec::new();
        write(&mut out, &s, Some(0)).expect("supported");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&s).unwrap()
        );
        let mut out = Vec::new();
        write(&mut out, &s, None).expect("supported");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string(&s).unwrap()
        );
    }

    #[test]
    fn plain_agrees_with_a_byte_by_byte_test() {
        let slow = |s: &[u8]| !s.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
        // Every byte at every place of strings of each length up to 40.
        for len in 0..40 {
            let mut s = vec![b'a'; len];
            assert_eq!(plain(&s), slow(&s));
            for at in 0..len {
                for b in 0..=255u8 {
                    s[at] = b;
                    assert_eq!(plain(&s), slow(&s), "byte {b} at {at} of {len}");
                }
                s[at] = b'a';
            }
        }
        // Mixed bytes, above 0x7f too.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            let len = (seed % 40) as usize;
            let s: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    [
                        0x00, 0x1f, 0x20, 0x21, b'"', b'#', b'\\', 0x5b, 0x7f, 0x80, 0xa0, 0xff,
                    ][(seed >> 33) as usize % 12]
                })
                .collect();
            assert_eq!(plain(&s), slow(&s), "{s:?}");
        }
    }

    #[test]
    fn a_deep_start_indents_as_serde_json_nested_deep() {
        // Inside 40 arrays the indent passes the 64 spaces written at once.
        let mut value = serde_json::json!({"leaf": [1, {"a": "b"}]});
        for _ in 0..40 {
            value = serde_json::json!([value]);
        }
        let whole = serde_json::to_string_pretty(&value).unwrap();
        let mut out = Vec::new();
        write(&mut out, &value, Some(0)).expect("supported");
        assert_eq!(String::from_utf8(out).unwrap(), whole);
    }

    #[test]
    fn other_shapes_are_left_to_serde_json() {
        #[derive(Serialize)]
        enum Tagged {
            Value(u8),
        }
        let mut out = Vec::new();
        assert!(write(&mut out, &vec![Tagged::Value(1)], Some(0)).is_err());
        let mut out = Vec::new();
        assert!(write(&mut out, &BTreeMap::from([(1, 2)]), None).is_err());
        let mut out = Vec::new();
        assert!(write(&mut out, &serde_bytes_like(), None).is_err());
    }

    #[test]
    fn a_value_left_to_serde_json_follows_what_the_buffer_held() {
        #[derive(Serialize)]
        enum Tagged {
            Value(u8),
        }
        #[derive(Serialize)]
        struct Outer {
            name: &'static str,
            tagged: Tagged,
        }
        let v = Outer {
            name: "written in part first",
            tagged: Tagged::Value(3),
        };
        let mut out = b"[\n  ".to_vec();
        crate::render::stream::write_pretty(&mut out, &v, 1).expect("written");
        let whole = serde_json::to_string_pretty(&[&v]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            whole.strip_suffix("\n]").unwrap()
        );
    }

    fn serde_bytes_like() -> impl Serialize {
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(b"raw")
            }
        }
        Bytes
    }
}
