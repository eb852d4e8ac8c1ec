//! Which parameters are positional, in which order (shared by every language, and by the
//! Node addon at run time): see `purecore_catalog::sdk::split`.

pub use purecore_catalog::sdk::split;
