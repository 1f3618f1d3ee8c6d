//! The interface: the HTML shell, routes, the signed-in layout, pages and shared components.
pub mod app;
pub mod components;
pub mod layout;
pub mod pages;
