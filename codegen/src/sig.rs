//! Which parameters are positional, in which order (shared by every language).
//!
//! As in the official SDKs: required parameters are positional; required non-body ones come
//! first in spec order, then the required body. Optional parameters follow (JS: in `opts`,
//! Python: keyword arguments, Go: positional) in spec order.

use purecore_catalog::{Location, Operation, Param};

/// (positional, optional) parameters.
pub fn split(op: &Operation) -> (Vec<&Param>, Vec<&Param>) {
    let mut positional: Vec<&Param> = op.params.iter().filter(|p| p.required && p.location != Location::Body).collect();
    positional.extend(op.params.iter().filter(|p| p.required && p.location == Location::Body));
    let optional = op.params.iter().filter(|p| !p.required).collect();
    (positional, optional)
}
