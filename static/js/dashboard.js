/* Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">.
   Clicking a bar opens the agencies behind it. No inline script: the page's CSP forbids it. */
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var palette = ["#a4161a", "#1b6e3a", "#0b4f9c", "#8a5a00", "#6a3d9a", "#2a9d8f", "#595959", "#e76f51"];
  var tones = { bad: "#a4161a", good: "#1b6e3a", warn: "#8a5a00", info: "#0b4f9c" };  // a series' meaning
  var locale = document.documentElement.lang === "vi" ? "vi-VN" : "en-GB";

  // Category labels ("UBND xã, phường, đặc khu") wrap onto lines that fit the axis instead of being cut at the
  // canvas edge; the tooltip and the table beside the chart keep the full text.
  function wrapped(scale, label, maxWidth) {
    var ctx = scale.ctx;
    ctx.save();
    ctx.font = window.Chart.helpers.toFont(scale.options.ticks.font).string;
    var lines = [], line = "";
    String(label).split(" ").forEach(function (word) {
      var candidate = line ? line + " " + word : word;
      if (line && ctx.measureText(candidate).width > maxWidth) {
        lines.push(line);
        line = word;
      } else {
        line = candidate;
      }
    });
    lines.push(line);
    ctx.restore();
    return lines.length > 1 ? lines : label;
  }

  function categoryTicks(horizontal, count) {
    return {
      autoSkip: !horizontal,
      callback: function (value) {
        var width = horizontal ? this.chart.width * 0.4 : Math.max(48, this.chart.width / Math.max(count, 1) - 8);
        return wrapped(this, this.getLabelForValue(value), width);
      }
    };
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (set, i) {
      return { label: set.label, data: set.data, backgroundColor: tones[set.tone] || palette[i % palette.length],
               links: set.links };
    });
    var valueAxis = { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 } };
    if (spec.percent) { valueAxis.max = 100; valueAxis.ticks.callback = function (v) { return v + "%"; }; }
    var categoryAxis = { stacked: spec.stacked, ticks: categoryTicks(spec.horizontal, spec.labels.length) };
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true, maintainAspectRatio: false, animation: false, locale: locale,
        scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: { legend: { position: "bottom" } },
        onClick: function (event, elements) {
          if (!elements.length) { return; }
          var set = datasets[elements[0].datasetIndex];
          var link = set.links && set.links[elements[0].index];
          if (link) { window.location.href = link; }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        }
      }
    });
  });
})();
