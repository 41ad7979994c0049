//! The generated surface of the typescript binding (filled in by its module; see templates/typescript/).

use minijinja::Environment;

use crate::Output;
use crate::ir::Ir;

pub fn render(_ir: &Ir, _env: &Environment<'static>) -> Result<Vec<Output>, String> {
    Ok(Vec::new())
}
