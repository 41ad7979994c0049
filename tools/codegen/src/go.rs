//! The generated surface of the go binding (filled in by its module; see templates/go/).

use minijinja::Environment;

use crate::Output;
use crate::ir::Ir;

pub fn render(_ir: &Ir, _env: &Environment<'static>) -> Result<Vec<Output>, String> {
    Ok(Vec::new())
}
