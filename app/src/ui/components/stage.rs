//! A stage code in the page: as an attribute (`data-stage`, a form's value) it is its code.
use leptos::attr::IntoAttributeValue;

use crate::domain::pipeline::StageCode;

impl IntoAttributeValue for StageCode {
    type Output = &'static str;

    fn into_attribute_value(self) -> &'static str {
        self.code()
    }
}
