//! The bytes a page fingerprint hashes for one value: a `serde::Serializer`
//! that writes a compact, unambiguous encoding of the value instead of its
//! JSON (no escaping of strings, no formatting of numbers: serde_json's
//! string escaping alone took a fifth of the fingerprint pass).
//!
//! Every value starts with a tag byte; strings and bytes carry their
//! length; sequences and maps end with [`END`], which no value starts
//! with. So an encoding reads back one way only, and two values whose JSON
//! (and so Tera's value) differs never encode the same. As in JSON, a
//! struct encodes as a map of its fields, a newtype struct as its content,
//! `Some(x)` as `x`, a tuple as a sequence and an integer as its value
//! whatever its width; some differences JSON loses are kept (a map's
//! integer key and the same key as text, a unit variant and a string of
//! its name), which only ever makes a fingerprint change more often.
//! [`MEMO`] stands for a digest, which only `cache::Hashed` writes.

use serde::ser::{self, Serialize};

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const INT: u8 = 3;
const UINT: u8 = 4;
const INT128: u8 = 5;
const UINT128: u8 = 6;
const F32: u8 = 7;
const F64: u8 = 8;
const CHAR: u8 = 9;
const STR: u8 = 10;
const BYTES: u8 = 11;
const SEQ: u8 = 12;
const MAP: u8 = 13;
/// Ends a sequence, a map or a variant holding several values.
pub(super) const END: u8 = 14;
const UNIT_VARIANT: u8 = 15;
const NEWTYPE_VARIANT: u8 = 16;
const TUPLE_VARIANT: u8 = 17;
const STRUCT_VARIANT: u8 = 18;
/// A memoised value's digest in its place (then its 16 bytes as bytes).
pub(super) const MEMO: u8 = 19;
/// Written after whatever was written when a value failed to serialise.
pub(super) const FAILED: u8 = 0xff;

/// The name of the newtype struct by which `cache::Hashed` writes a digest:
/// the encoder writes [`MEMO`] and the bytes (another serializer would
/// write the bytes alone; `Hashed` writes a digest only while a value is
/// encoded).
pub(super) const MEMO_NAME: &str = "\0sbiz-memo";

/// Writes values' encodings at the end of a buffer.
pub(super) struct Encoder<'b> {
    out: &'b mut Vec<u8>,
}

impl<'b> Encoder<'b> {
    pub(super) fn new(out: &'b mut Vec<u8>) -> Encoder<'b> {
        Encoder { out }
    }

    fn tag(&mut self, tag: u8) {
        self.out.push(tag);
    }

    fn len(&mut self, n: usize) {
        self.out.extend_from_slice(&(n as u64).to_le_bytes());
    }

    fn text(&mut self, tag: u8, bytes: &[u8]) {
        self.tag(tag);
        self.len(bytes.len());
        self.out.extend_from_slice(bytes);
    }
}

/// Why a value could not be encoded (only a value's own `Serialize` fails).
#[derive(Debug)]
pub(super) struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Error {
        Error(msg.to_string())
    }
}

type Res = Result<(), Error>;

impl<'e, 'b> ser::Serializer for &'e mut Encoder<'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = &'e mut Encoder<'b>;
    type SerializeTuple = &'e mut Encoder<'b>;
    type SerializeTupleStruct = &'e mut Encoder<'b>;
    type SerializeTupleVariant = &'e mut Encoder<'b>;
    type SerializeMap = &'e mut Encoder<'b>;
    type SerializeStruct = &'e mut Encoder<'b>;
    type SerializeStructVariant = &'e mut Encoder<'b>;

    fn serialize_bool(self, v: bool) -> Res {
        self.tag(if v { TRUE } else { FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Res {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Res {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Res {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Res {
        self.tag(INT);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Res {
        self.tag(INT128);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Res {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Res {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Res {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Res {
        self.tag(UINT);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Res {
        self.tag(UINT128);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Res {
        self.tag(F32);
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Res {
        self.tag(F64);
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Res {
        self.tag(CHAR);
        self.out.extend_from_slice(&u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Res {
        self.text(STR, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Res {
        self.text(BYTES, v);
        Ok(())
    }
    fn serialize_none(self) -> Res {
        self.tag(NULL);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Res {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        self.tag(NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Res {
        self.tag(NULL);
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Res {
        self.text(UNIT_VARIANT, variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Res {
        if name == MEMO_NAME {
            self.tag(MEMO);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Res {
        self.text(NEWTYPE_VARIANT, variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self, Error> {
        self.tag(SEQ);
        Ok(self)
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self, Error> {
        self.tag(SEQ);
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.text(TUPLE_VARIANT, variant.as_bytes());
        Ok(self)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(MAP);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, Error> {
        self.tag(MAP);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.text(STRUCT_VARIANT, variant.as_bytes());
        Ok(self)
    }

    /// Dates and the like write their text straight into the buffer; the
    /// length goes in front once it is known.
    fn collect_str<T: std::fmt::Display + ?Sized>(self, value: &T) -> Res {
        use std::fmt::Write;
        struct Out<'v>(&'v mut Vec<u8>);
        impl Write for Out<'_> {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0.extend_from_slice(s.as_bytes());
                Ok(())
            }
        }
        self.tag(STR);
        let at = self.out.len();
        self.len(0);
        write!(Out(self.out), "{value}").map_err(ser::Error::custom)?;
        let n = (self.out.len() - at - 8) as u64;
        self.out[at..at + 8].copy_from_slice(&n.to_le_bytes());
        Ok(())
    }
}

impl ser::SerializeSeq for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeMap for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Res {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.tag(END);
        Ok(())
    }
}

/// A struct is a map of its fields, as in JSON; a skipped field is left
/// out, as in JSON.
impl ser::SerializeStruct for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Res {
        self.text(STR, key.as_bytes());
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Res {
        self.text(STR, key.as_bytes());
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.tag(END);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encoded<T: Serialize + ?Sized>(val: &T) -> Vec<u8> {
        let mut out = Vec::new();
        val.serialize(&mut Encoder::new(&mut out)).expect("encodes");
        out
    }

    fn len(n: u64) -> [u8; 8] {
        n.to_le_bytes()
    }

    #[test]
    fn strings_carry_their_length_and_lists_and_maps_their_end() {
        let mut want = vec![SEQ, STR];
        want.extend(len(2));
        want.extend(b"ab");
        want.push(STR);
        want.extend(len(1));
        want.extend(b"c");
        want.push(END);
        assert_eq!(encoded(&["ab", "c"]), want);
        let mut want = vec![MAP, STR];
        want.extend(len(1));
        want.extend(b"k");
        want.push(NULL);
        want.push(END);
        assert_eq!(encoded(&serde_json::json!({ "k": null })), want);
        // A date writes its text through `collect_str`.
        let date = jiff::civil::date(2026, 6, 1);
        let mut want = vec![STR];
        want.extend(len(10));
        want.extend(b"2026-06-01");
        assert_eq!(encoded(&date), want);
        assert_eq!(encoded(&date), encoded("2026-06-01"));
    }

    /// JSON-like values from a small alphabet, so that two of them often
    /// differ only a little.
    fn value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        // With bytes that tags are (NUL, a line feed: STR, 0x0e: END).
        let text = prop::sample::select(vec![
            "", "a", "b", "ab", "1", "a\"b", "가", "\0", "a\n", "\u{e}", "\u{e}a",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-2i64..3).prop_map(Value::from),
            prop::sample::select(vec![0.5, 1.0, -0.0, 1e300]).prop_map(Value::from),
            text.clone().prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 3, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec((text.clone(), inner), 0..3).prop_map(|entries| {
                    Value::Object(
                        entries
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Two values encode the same exactly when their JSON is the same.
        #[test]
        fn encodings_differ_exactly_when_the_json_does(
            values in prop::collection::vec(value(), 8),
        ) {
            for a in &values {
                for b in &values {
                    let same_json = serde_json::to_string(a).ok() == serde_json::to_string(b).ok();
                    prop_assert_eq!(encoded(a) == encoded(b), same_json, "{} / {}", a, b);
                }
            }
        }
    }
}
