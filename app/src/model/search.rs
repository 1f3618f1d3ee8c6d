//! What the search server functions exchange with the browser.
use crate::model::home::StageName;
use crate::model::papers::{ContractRow, OrderRow, SpecificationRow};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealHit {
    pub id: i32,
    pub number: Option<String>,
    pub title: String,
    pub customer: String,
    pub stage: StageName,
    pub contracts: Vec<ContractRow>,
    pub specifications: Vec<SpecificationRow>,
    pub orders: Vec<OrderRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub deals: Vec<DealHit>,
}
