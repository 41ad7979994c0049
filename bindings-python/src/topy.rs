//! The core's values as Python objects, straight from their serde form: no JSON text and no
//! `serde_json::Value` in between.
//!
//! [`plain`] gives the canonical JSON as dicts, lists and scalars (what the generated `_from`
//! methods and the exception factory read). [`typed`] builds the generated result classes of
//! `sendivent._models` directly: a struct whose name is a model of the description becomes an
//! instance of that model's class, filled from the class's own field table
//! (`_models._NATIVE_CLASSES`, generated from the same description), so the classes stay the one
//! description of the results and the webhook path skips the intermediate dicts.

use std::collections::HashMap;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList, PyString, PyTuple, PyType};
use serde::Serialize;
use serde::ser;

/// A Python exception carried through serde.
pub struct ConvertError(PyErr);

impl std::fmt::Debug for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::fmt::Display for ConvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for ConvertError {}

impl ser::Error for ConvertError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ConvertError(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for ConvertError {
    fn from(err: PyErr) -> Self {
        ConvertError(err)
    }
}

type Result<T> = std::result::Result<T, ConvertError>;

/// How one result class is built: the class, and each field's JSON key and attribute name in the
/// class's field order.
struct ClassPlan {
    class: Py<PyType>,
    fields: Vec<(String, Py<PyString>)>,
}

/// The result classes by model name.
struct Classes(HashMap<String, ClassPlan>);

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();
static OBJECT_NEW: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DICT_ATTR: PyOnceLock<Py<PyString>> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let table = py.import("sendivent._models")?.getattr("_NATIVE_CLASSES")?;
        let table = table.cast_into::<PyDict>()?;
        let mut plans = HashMap::with_capacity(table.len());
        for (name, entry) in table.iter() {
            let (class, fields): (Bound<'_, PyType>, Vec<(String, Bound<'_, PyString>)>) = entry.extract()?;
            let fields = fields.into_iter().map(|(key, attr)| (key, attr.unbind())).collect();
            plans.insert(name.extract::<String>()?, ClassPlan { class: class.unbind(), fields });
        }
        Ok(Classes(plans))
    })
}

/// The canonical JSON of `value` as plain Python objects (dict, list, str, int, float, bool,
/// None; tuples for fixed-size arrays).
pub fn plain<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(ToPython { py, classes: None }).map_err(|e| e.0)
}

/// `value` with every struct that is a model of the description built as its generated class.
pub fn typed<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let classes = classes(py)?;
    value.serialize(ToPython { py, classes: Some(classes) }).map_err(|e| e.0)
}

/// The serde serializer whose output is a Python object.
#[derive(Clone, Copy)]
struct ToPython<'py, 'c> {
    py: Python<'py>,
    classes: Option<&'c Classes>,
}

impl<'py, 'c> ser::Serializer for ToPython<'py, 'c> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    type SerializeSeq = Seq<'py, 'c>;
    type SerializeTuple = Seq<'py, 'c>;
    type SerializeTupleStruct = Seq<'py, 'c>;
    type SerializeTupleVariant = Variant<'py, Seq<'py, 'c>>;
    type SerializeMap = Map<'py, 'c>;
    type SerializeStruct = Struct<'py, 'c>;
    type SerializeStructVariant = Variant<'py, Map<'py, 'c>>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok> {
        Ok(v.into_pyobject(self.py).map(|v| v.into_any()).unwrap_or_else(|never| match never {}))
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok> {
        Ok(v.into_pyobject(self.py).map(|v| v.into_any()).unwrap_or_else(|never| match never {}))
    }
    fn serialize_f32(self, v: f32) -> Result<Self::Ok> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok> {
        Ok(v.into_pyobject(self.py).map(|v| v.into_any()).unwrap_or_else(|never| match never {}))
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok> {
        Ok(PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<Self::Ok> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        let dict = PyDict::new(self.py);
        dict.set_item(variant, value.serialize(self)?)?;
        Ok(dict.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        Ok(Seq { to: self, items: Vec::with_capacity(len.unwrap_or(0)), tuple: false })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        Ok(Seq { to: self, items: Vec::with_capacity(len), tuple: true })
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeTupleStruct> {
        self.serialize_tuple(len)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Ok(Variant { py: self.py, variant, inner: self.serialize_tuple(len)? })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Ok(Map { to: self, dict: PyDict::new(self.py), key: None })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        let plan = self.classes.and_then(|classes| classes.0.get(name));
        Ok(match plan {
            Some(plan) => Struct::Class { to: self, plan, values: (0..plan.fields.len()).map(|_| None).collect() },
            None => Struct::Dict(self.serialize_map(Some(len))?),
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Ok(Variant { py: self.py, variant, inner: self.serialize_map(Some(len))? })
    }
}

/// A list or a tuple being built.
struct Seq<'py, 'c> {
    to: ToPython<'py, 'c>,
    items: Vec<Bound<'py, PyAny>>,
    tuple: bool,
}

impl<'py> Seq<'py, '_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.items.push(value.serialize(self.to)?);
        Ok(())
    }

    fn done(self) -> Result<Bound<'py, PyAny>> {
        Ok(if self.tuple {
            PyTuple::new(self.to.py, self.items)?.into_any()
        } else {
            PyList::new(self.to.py, self.items)?.into_any()
        })
    }
}

impl<'py> ser::SerializeSeq for Seq<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.done()
    }
}

impl<'py> ser::SerializeTuple for Seq<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.done()
    }
}

impl<'py> ser::SerializeTupleStruct for Seq<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.done()
    }
}

/// A dict being built.
struct Map<'py, 'c> {
    to: ToPython<'py, 'c>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
}

impl<'py> ser::SerializeMap for Map<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = Some(key.serialize(self.to)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self.key.take().ok_or_else(|| <ConvertError as ser::Error>::custom("a map value without its key"))?;
        self.dict.set_item(key, value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        Ok(self.dict.into_any())
    }
}

impl<'py> ser::SerializeStruct for Map<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        self.dict.set_item(key, value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        Ok(self.dict.into_any())
    }
}

/// A struct being built: as its generated class, or as a dict.
enum Struct<'py, 'c> {
    Class { to: ToPython<'py, 'c>, plan: &'c ClassPlan, values: Vec<Option<Bound<'py, PyAny>>> },
    Dict(Map<'py, 'c>),
}

impl<'py> ser::SerializeStruct for Struct<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        match self {
            Struct::Dict(map) => ser::SerializeStruct::serialize_field(map, key, value),
            Struct::Class { to, plan, values } => {
                let Some(index) = plan.fields.iter().position(|(k, _)| k == key) else {
                    let class = plan.class.bind(to.py).name().map(|n| n.to_string()).unwrap_or_default();
                    return Err(<ConvertError as ser::Error>::custom(format!(
                        "{class} has no field for the core's `{key}`"
                    )));
                };
                if let Some(slot) = values.get_mut(index) {
                    *slot = Some(value.serialize(*to)?);
                }
                Ok(())
            }
        }
    }

    fn skip_field(&mut self, _key: &'static str) -> Result<()> {
        Ok(())
    }

    fn end(self) -> Result<Self::Ok> {
        let (to, plan, values) = match self {
            Struct::Dict(map) => return ser::SerializeMap::end(map),
            Struct::Class { to, plan, values } => (to, plan, values),
        };
        let py = to.py;
        let attributes = PyDict::new(py);
        let mut complete = true;
        for ((_, attr), value) in plan.fields.iter().zip(values) {
            match value {
                Some(value) => attributes.set_item(attr.bind(py), value)?,
                None => complete = false,
            }
        }
        let class = plan.class.bind(py);
        if !complete {
            // A field the core left out (an empty optional): the class's constructor applies its
            // default.
            return Ok(class.call((), Some(&attributes))?);
        }
        // Every field is there: the instance gets them as its attributes, as the dataclass
        // constructor would set them, without running it.
        let object_new = OBJECT_NEW
            .get_or_try_init(py, || py.get_type::<pyo3::types::PyAny>().getattr("__new__").map(Bound::unbind))?;
        let instance = object_new.bind(py).call1((class,))?;
        let dict_attr = DICT_ATTR.get_or_init(py, || PyString::intern(py, "__dict__").unbind());
        instance.setattr(dict_attr.bind(py), attributes)?;
        Ok(instance)
    }
}

/// An enum variant with data: `{variant: data}`, as serde_json writes it.
struct Variant<'py, Inner> {
    py: Python<'py>,
    variant: &'static str,
    inner: Inner,
}

impl<'py> ser::SerializeTupleVariant for Variant<'py, Seq<'py, '_>> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.inner.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        let dict = PyDict::new(self.py);
        dict.set_item(self.variant, self.inner.done()?)?;
        Ok(dict.into_any())
    }
}

impl<'py> ser::SerializeStructVariant for Variant<'py, Map<'py, '_>> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvertError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Self::Ok> {
        let dict = PyDict::new(self.py);
        dict.set_item(self.variant, ser::SerializeMap::end(self.inner)?)?;
        Ok(dict.into_any())
    }
}
