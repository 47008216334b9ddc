import Foundation

/// The Mustache template of the HTML report: one file, styles inline, no scripts, no external
/// assets, readable in a mail client and in a browser.
enum HTMLReportTemplate {
    /// The page cut into the parts ``HTMLReportRenderer`` renders apart: the head (with the
    /// headline), the counts by kind and the chart, the open items, then the details and the
    /// inputs. Each part starts on a line of its own outside every section, so the parts rendered
    /// one after the other give the page the whole template gives.
    static let parts: [String] = {
        var parts: [String] = []
        var rest = Substring(text)
        for marker in ["<h2>By kind</h2>\n", "{{#openItems}}\n", "{{#hasDiscrepancies}}\n"] {
            guard let found = rest.range(of: "\n" + marker) else { fatalError("The HTML report template has no line '\(marker)'") }
            let cut = rest.index(after: found.lowerBound)
            parts.append(String(rest[..<cut]))
            rest = rest[cut...]
        }
        return parts + [String(rest)]
    }()

    static let text = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>
        body { font: 14px/1.45 -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; color: #1d2330; margin: 24px; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d5d9e0; padding-bottom: 4px; }
        .headline { font-size: 16px; margin: 4px 0 16px; }
        .attention { color: #a4161a; font-weight: 600; }
        .ok { color: #2b7a3d; font-weight: 600; }
        table { border-collapse: collapse; margin: 4px 0 12px; }
        th, td { border: 1px solid #d5d9e0; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f1f3f6; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.mono, span.mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
        tr.carried td { color: #5c6370; }
        .chart rect.alarm { fill: #c8553d; }
        .chart rect.carried { fill: #f2a65a; }
        .chart rect.clean { fill: #2b7a3d; }
        .chart .axis { font-size: 11px; fill: #5c6370; }
        .legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; }
        .muted { color: #5c6370; }
        </style>
        </head>
        <body>
        <h1>{{title}}</h1>
        <p class="headline">{{#attention}}<span class="attention">{{headline}}</span>{{/attention}}{{^attention}}<span class="ok">{{headline}}</span>{{/attention}}</p>
        <p class="muted">Time zones: {{zones}}. Boundary grace: {{grace}} s. order-recon {{version}}; the run's id and times are in the JSON report.</p>

        <h2>By kind</h2>
        {{#hasKinds}}
        <table>
        <tr><th>kind</th><th>count</th><th>at stake</th><th>meaning</th></tr>
        {{#kinds}}<tr{{^alarm}} class="carried"{{/alarm}}><td>{{kind}}</td><td class="num">{{count}}</td><td class="num">{{stake}}</td><td>{{meaning}}</td></tr>
        {{/kinds}}
        <tr><th>total</th><th class="num">{{total}}</th><th class="num">{{totalStake}}</th><th>{{alarms}} need attention</th></tr>
        </table>
        {{/hasKinds}}
        {{^hasKinds}}<p>No discrepancies.</p>{{/hasKinds}}

        <h2>Discrepancies per day</h2>
        <div class="legend muted"><span style="background:#c8553d"></span>need attention<span style="background:#f2a65a"></span>timing differences<span style="background:#2b7a3d"></span>clean day</div>
        {{{chart}}}

        {{#openItems}}
        <h2>Open items</h2>
        <p>{{newCount}} new, {{stillOpenCount}} still open from earlier days, {{resolvedCount}} resolved since the last run.</p>
        {{#groups}}
        <h3>{{name}}</h3>
        <table>
        <tr><th>id</th><th>day</th><th>age</th><th>merchant</th><th>kind</th><th>subject</th><th>at stake</th><th>{{noteHeader}}</th></tr>
        {{#items}}<tr><td class="mono">{{id}}</td><td>{{day}}</td><td class="num">{{age}}</td><td>{{merchant}}</td><td>{{kind}}</td><td class="mono">{{subject}}</td><td class="num">{{stake}}</td><td>{{note}}</td></tr>
        {{/items}}
        </table>
        {{#more}}<p class="muted">The {{shown}} with the largest amounts at stake are shown; <span class="mono">order-recon open</span> lists the {{more}} more.</p>{{/more}}
        {{/groups}}
        {{/openItems}}

        {{#hasDiscrepancies}}
        <h2>Details</h2>
        <table>
        <tr><th>merchant</th><th>kind</th><th>subject</th><th>store</th><th>bill</th><th>query</th><th>bill − store</th><th>at stake</th><th>explanation</th><th>id</th></tr>
        {{#discrepancies}}<tr{{^alarm}} class="carried"{{/alarm}}><td>{{merchant}}</td><td>{{kind}}</td><td class="mono">{{subject}}</td><td>{{local}}</td><td>{{bill}}</td><td>{{query}}</td><td class="num">{{difference}}</td><td class="num">{{stake}}</td><td>{{explanation}}</td><td class="mono">{{id}}</td></tr>
        {{/discrepancies}}
        </table>
        {{#moreDiscrepancies}}<p class="muted">The {{shownDiscrepancies}} with the largest amounts at stake are shown; {{moreDiscrepancies}} more are in <span class="mono">{{csvName}}</span> beside this page.</p>{{/moreDiscrepancies}}
        {{/hasDiscrepancies}}

        <h2>Inputs</h2>
        <table>
        <tr><th>bill</th><th>merchant</th><th>format</th><th>payments</th><th>refunds</th><th>SHA-256</th></tr>
        {{#bills}}<tr><td class="mono">{{path}}</td><td>{{merchant}}</td><td>{{format}}</td><td class="num">{{payments}}</td><td class="num">{{refunds}}</td><td class="mono">{{sha256}}</td></tr>
        {{/bills}}
        </table>
        <p class="muted">Store <span class="mono">{{storePath}}</span>: {{ordersRead}} orders and {{refundsRead}} refunds read, rows SHA-256 <span class="mono">{{storeSHA}}</span>.</p>
        </body>
        </html>

        """#
}
