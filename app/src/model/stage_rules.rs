//! What the stage rules server functions exchange with the browser.
use crate::domain::stage_rules::StageRule;
use crate::model::home::StageName;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRuleRow {
    pub stage: StageName,
    pub rule: StageRule,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRuleSettings {
    pub pipeline: crate::domain::pipeline::Pipeline,
    pub rows: Vec<StageRuleRow>,
    /// Active staff, any of whom a rule can make responsible.
    pub staff: Vec<crate::model::board::Choice>,
}
