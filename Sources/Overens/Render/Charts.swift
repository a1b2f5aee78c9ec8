import Foundation
import Mustache

/// A chart drawn at build time as inline SVG: no script, no library, the same bytes every
/// build; readable from disk and on paper. Each bar says its number and name in text, so
/// colour never carries meaning alone, and the same data stands beside it as a table.
struct ChartView: MustacheParent, Sendable {
    let id: String
    let title: String
    let description: String
    let svg: String
    let rows: [ChartRow]
    let valueHeading: String
    let labelHeading: String
    /// The goals chart: the note that goal links are the editors' reading goes with it.
    var isGoals = false

    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "is_goals": isGoals
        case "title": title
        case "description": description
        case "svg": svg
        case "rows": rows
        case "value_heading": valueHeading
        case "label_heading": labelHeading
        default: nil
        }
    }
}

/// One bar, and one row of the table beside the chart.
struct ChartRow: MustacheParent, Sendable {
    let label: String
    let value: Int
    let href: String?
    let goalClass: String?
    let position: Int?

    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "value": value
        case "href": present(href)
        case "goal_class": present(goalClass)
        case "position": present(position)
        default: nil
        }
    }
}

extension Views {
    /// How many actions the editors link to each goal, one bar per goal in the goals' order.
    func actionsPerGoalChart(from path: String) -> ChartView? {
        let goals = graph.all(.goal)
        guard !goals.isEmpty, !graph.all(.action).isEmpty else { return nil }
        let rows = goals.map { goal in
            ChartRow(label: goal.text(in: language).shortTitle ?? goal.text(in: language).title,
                     value: graph.actionsByGoal[goal.id]?.count ?? 0,
                     href: Paths.relative(from: path, to: paths.page(goal, language)),
                     goalClass: goalPosition[goal.id].map { GoalMark(position: $0).className },
                     position: goalPosition[goal.id])
        }
        let title = t("charts.actions_per_goal")
        let description = rows.map { "\($0.position.map { "\($0). " } ?? "")\($0.label): \($0.value)" }.joined(separator: "; ")
        return ChartView(id: "chart-actions-per-goal", title: title, description: description,
                         svg: Self.barChart(rows, id: "chart-actions-per-goal", title: title, description: description),
                         rows: rows, valueHeading: t("charts.actions"), labelHeading: t("charts.goal"), isGoals: true)
    }

    /// The charts the content has data for: actions per goal always; by status and per
    /// party only where some action has a status or parties (no zero-filled pictures).
    func planCharts(from path: String) -> [ChartView] {
        var charts = [actionsPerGoalChart(from: path)].compactMap { $0 }
        let actions = graph.all(.action)
        if actions.contains(where: { $0.fields.status != nil }) {
            let rows = (Status.allCases.map(Optional.some) + [nil]).map { status in
                ChartRow(label: status.map { t("status.\($0.rawValue)") } ?? t("charts.status_unknown"),
                         value: actions.filter { $0.fields.status == status }.count, href: nil, goalClass: nil, position: nil)
            }.filter { $0.value > 0 }
            charts.append(chart(rows, id: "chart-actions-by-status", title: t("charts.actions_by_status"), labelHeading: t("status_label")))
        }
        if actions.contains(where: { !$0.fields.parties.isEmpty }) {
            let rows = partiesInOrder().map { party in
                ChartRow(label: party.text(in: language).shortTitle ?? party.text(in: language).title,
                         value: graph.actionsByParty[party.id]?.count ?? 0,
                         href: Paths.relative(from: path, to: paths.page(party, language)), goalClass: nil, position: nil)
            }.filter { $0.value > 0 }.sorted { $0.value > $1.value }
            charts.append(chart(rows, id: "chart-actions-per-party", title: t("charts.actions_per_party"), labelHeading: t("charts.party")))
        }
        return charts
    }

    private func chart(_ rows: [ChartRow], id: String, title: String, labelHeading: String) -> ChartView {
        let description = rows.map { "\($0.label): \($0.value)" }.joined(separator: "; ")
        return ChartView(id: id, title: title, description: description, svg: Self.barChart(rows, id: id, title: title, description: description),
                         rows: rows, valueHeading: t("charts.actions"), labelHeading: labelHeading)
    }

    /// Horizontal bars: the label above each bar (on two lines when long), the value at its
    /// end. A narrow viewBox keeps the text legible when a phone shrinks the chart.
    static func barChart(_ rows: [ChartRow], id: String, title: String, description: String) -> String {
        let width = 420, lineHeight = 16, barHeight = 14, gap = 10, valueSpace = 36
        let most = max(rows.map(\.value).max() ?? 0, 1)
        let labels = rows.map { row in wrap((row.position.map { "\($0) · " } ?? "") + row.label, width: 46) }
        let height = labels.reduce(0) { $0 + $1.count * lineHeight + barHeight + gap }
        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" aria-labelledby=\"\(id)-title \(id)-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        svg += "<title id=\"\(id)-title\">\(Escape.html(title))</title>\n<desc id=\"\(id)-desc\">\(Escape.html(description))</desc>\n"
        var y = 0
        for (row, lines) in zip(rows, labels) {
            let length = row.value == 0 ? 0 : max(2, (width - valueSpace) * row.value / most)
            svg += "<g class=\"bar \(row.goalClass ?? "")\">"
            for (n, line) in lines.enumerated() {
                svg += "<text x=\"0\" y=\"\(y + 13 + n * lineHeight)\" class=\"bar-label\">\(Escape.html(line))</text>"
            }
            let top = y + lines.count * lineHeight + 2
            svg += "<rect x=\"0\" y=\"\(top)\" width=\"\(length)\" height=\"\(barHeight)\" fill=\"currentColor\"></rect>"
            svg += "<text x=\"\(length + 6)\" y=\"\(top + 12)\" class=\"bar-value\">\(row.value)</text></g>\n"
            y += lines.count * lineHeight + barHeight + gap
        }
        return svg + "</svg>"
    }

    /// Words on lines of at most `width` characters, two lines at most (the table beside the
    /// chart has every name in full).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [""]
        for word in text.split(separator: " ") {
            if lines[lines.count - 1].isEmpty { lines[lines.count - 1] = String(word) }
            else if lines[lines.count - 1].count + 1 + word.count <= width { lines[lines.count - 1] += " " + word }
            else { lines.append(String(word)) }
        }
        if lines.count > 2 { lines = [lines[0], lines[1...].joined(separator: " ").prefix(width - 1) + "…"] }
        return lines
    }
}
