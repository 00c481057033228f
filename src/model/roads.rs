//! Journeys and transport: drive time and distance, what home-to-school transport costs a
//! year, and the road network journeys are found on.

use std::ops::Add;

use geo::Point;
use serde::Serialize;

use super::Money;

/// A journey: drive time each way and road distance each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Journey {
    /// Minutes, one way.
    pub minutes: f64,
    /// Kilometres by road, one way.
    pub km: f64,
}

impl Add for Journey {
    type Output = Journey;
    fn add(self, rhs: Journey) -> Journey {
        Journey { minutes: self.minutes + rhs.minutes, km: self.km + rhs.km }
    }
}

/// Ordered by minutes first, then distance: the quickest route, shortest among equals.
impl PartialOrd for Journey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match self.minutes.partial_cmp(&other.minutes) {
            Some(std::cmp::Ordering::Equal) => self.km.partial_cmp(&other.km),
            ord => ord,
        }
    }
}

/// Home-to-school transport cost and the travel estimate used without a road network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransportCosts {
    /// £ a year per child transported, whatever the distance.
    pub fixed_per_child: Money,
    /// £ per km of each journey.
    pub cost_per_km: Money,
    /// £ per minute of each journey.
    pub cost_per_minute: Money,
    /// Journeys a day (there and back: 2).
    pub journeys_per_day: f64,
    /// School days a year.
    pub school_days: f64,
    /// Road km per straight-line km.
    pub circuity: f64,
    /// Average speed, km/h, for straight-line estimates and access legs.
    pub average_speed_kmh: f64,
    /// Farthest, in straight-line km, a locality or setting may lie from its nearest road
    /// node before the network is said not to reach it.
    pub max_access_km: f64,
}

impl TransportCosts {
    /// Annual transport cost of one child making this journey.
    #[must_use]
    pub fn annual_cost(&self, journey: Journey) -> Money {
        let per_journey = self.cost_per_km * journey.km + self.cost_per_minute * journey.minutes;
        self.fixed_per_child + per_journey * (self.journeys_per_day * self.school_days)
    }
}

/// A road junction or town on the travel network.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadNode {
    /// Id as written in the tables.
    pub id: String,
    /// Where it is.
    pub position: Point<f64>,
}

/// A two-way road between two nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoadEdge {
    /// One end (index into the node list).
    pub from: usize,
    /// Other end.
    pub to: usize,
    /// Minutes and km along it.
    pub journey: Journey,
}

/// The road network, when the model gives one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoadNetwork {
    /// Nodes.
    pub nodes: Vec<RoadNode>,
    /// Edges.
    pub edges: Vec<RoadEdge>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_cost_is_fixed_part_plus_rate_over_the_school_year() {
        let t = TransportCosts {
            fixed_per_child: Money(1000.0),
            cost_per_km: Money(0.5),
            cost_per_minute: Money(0.1),
            journeys_per_day: 2.0,
            school_days: 190.0,
            circuity: 1.3,
            average_speed_kmh: 40.0,
            max_access_km: 15.0,
        };
        // 10 km, 20 min: per journey 5 + 2 = 7; × 380 journeys = 2,660; + 1,000.
        let cost = t.annual_cost(Journey { minutes: 20.0, km: 10.0 });
        assert!((cost.pounds() - 3660.0).abs() < 1e-9);
    }
}
