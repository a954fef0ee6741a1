//! TSA cases (filled in below).
