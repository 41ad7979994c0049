//! The one conversion from core errors to Python exceptions: the core describes the error
//! (`Error::details`, class name included) and the generated factory of
//! `sendivent._exceptions` builds the instance of that class.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;
use sendivent::Error;

use crate::convert::to_py;

static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The exception instance for a core error (an instance of the class `details.class` names).
pub fn exception<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    let factory = FACTORY.get_or_try_init(py, || {
        PyModule::import(py, "sendivent._exceptions")?.getattr("_from_details").map(Bound::unbind)
    })?;
    factory.bind(py).call1((to_py(py, &err.details())?,))
}

/// Converts a core error into the matching `sendivent` exception.
pub fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    match exception(py, &err) {
        Ok(instance) => PyErr::from_value(instance),
        Err(failed) => failed,
    }
}

/// Shorthand for converting `sendivent::Result<T>` while holding the GIL.
pub trait IntoPyResult<T> {
    /// Converts the error side into the matching Python exception.
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for sendivent::Result<T> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_pyerr(py, e))
    }
}
