//! Unit tests of writing files all or none.
