//! Conversions between Python objects and JSON values: every argument reaches the core as JSON
//! and every answer comes back as the core's canonical JSON.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use sendivent::{Error, ErrorCode};
use serde_json::{Map, Number, Value};

use crate::errors::to_pyerr;

/// How deep nested payloads may go before conversion refuses (a guard against cycles).
const MAX_DEPTH: usize = 64;

/// An INVALID_ARGUMENT error raised as its Python class.
pub fn invalid_argument(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_pyerr(py, Error::Binding { code: ErrorCode::InvalidArgument, message: message.into() })
}

/// Converts a JSON-like Python object (dict, list, tuple, str, int, float, bool, None, any
/// mapping, or a result object with `to_dict()`) into a JSON value. Anything else is
/// INVALID_ARGUMENT.
pub fn py_to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_json(obj, 0)
}

fn to_json(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    let py = obj.py();
    if depth > MAX_DEPTH {
        return Err(invalid_argument(py, "value is nested too deeply (or contains a cycle)"));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::Number(v.into()));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Value::Number(v.into()));
        }
        // Beyond 64 bits: as a float, so that bounds checks refuse it with their own message.
        return i
            .extract::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| invalid_argument(py, "integer out of the range JSON numbers can carry"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| invalid_argument(py, "NaN and infinity are not numbers JSON can carry"));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            map.insert(key(&k)?, to_json(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l.iter().map(|v| to_json(&v, depth + 1)).collect::<PyResult<_>>().map(Value::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t.iter().map(|v| to_json(&v, depth + 1)).collect::<PyResult<_>>().map(Value::Array);
    }
    if let Ok(m) = obj.cast::<PyMapping>() {
        let mut map = Map::new();
        for item in m.items()?.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            map.insert(key(&k)?, to_json(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.hasattr(pyo3::intern!(py, "to_dict"))? {
        let dict = obj.call_method0(pyo3::intern!(py, "to_dict"))?;
        return to_json(&dict, depth + 1);
    }
    Err(invalid_argument(
        py,
        format!(
            "cannot send a value of type {} as JSON (use dict, list, str, int, float, bool or None)",
            obj.get_type().name()?
        ),
    ))
}

fn key(k: &Bound<'_, PyAny>) -> PyResult<String> {
    match k.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => Err(invalid_argument(k.py(), "JSON object keys must be str")),
    }
}

/// Converts a JSON value into plain Python objects (dict, list, str, int, float, bool, None).
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// Converts any serialisable core value (a model, `ResponseMeta`, `ErrorDetails`) to the Python
/// objects of its canonical JSON, straight from its serde form.
pub fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    crate::topy::plain(py, value)
}
