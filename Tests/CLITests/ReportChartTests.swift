import Distillation
import Foundation
import Testing

@testable import Report

/// Chart ticks are round numbers covering the range; reference lines are drawn and labelled,
/// and the y range reaches them.
@Test func chartTicksAreRoundAndReferencesAreDrawn() throws {
    #expect(LineChart.ticks(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
    #expect(LineChart.ticks(0.213, 0.87).map { ($0 * 10).rounded() } == [3, 4, 5, 6, 7, 8])
    #expect(LineChart.ticks(1, 30, count: 6).map { $0 } == [5, 10, 15, 20, 25, 30])
    let chart = LineChart(
        points: [(1, 0.30), (2, 0.45), (3, 0.52)], title: "accuracy", yLabel: "test accuracy", percent: true,
        references: [.init(label: "6 random real examples", value: 0.2373), .init(label: "full split", value: 0.878)])
    let svg = chart.svg()
    #expect(svg.components(separatedBy: "stroke-dasharray").count == 3)
    #expect(svg.contains(">6 random real examples (23.7%)<") && svg.contains(">full split (87.8%)<"))
    // Grid lines at the ticks of a range that includes 87.8 %.
    #expect(svg.contains(">80<") && svg.contains(">30<"))
}

/// The soft-label heatmap carries its colour scale.
@Test func heatmapHasAColourLegend() {
    let svg = HTMLReport.heatmap([("row", [0.9, -0.4])], classes: ["a", "b"])
    #expect(svg.contains("linearGradient") && svg.contains(">-0.90<") && svg.contains(">0.90<"))
}
