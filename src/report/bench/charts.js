/*
 * The charts of bench.html, run in the reader's browser: plain JavaScript (no module, no
 * build step), appended by ./html.ts to uPlot's own minified build in the page's ONE inline
 * script, and called there as `drawBenchCharts(uPlot, charts)` with the charts' data (made
 * safe by scriptJson). It fetches nothing and writes no markup: uPlot draws on canvases and
 * sets its legends' text with textContent; a failure is shown as text in the chart's place.
 *
 * Each chart says what it needs in its data (see BrowserChart in ./html.ts): its slot's
 * element id, its size, the kind of x axis (percentile, linear, log), whether y is a log
 * scale, the series (label, colour, dash) and marks (a threshold's limit, drawn on top).
 */

// biome-ignore lint/correctness/noUnusedVariables: called by the page's script, after this file
function drawBenchCharts(uPlot, charts) {
  const FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  const INK = "#1b1f24";
  const MUTED = "#57606a";
  const GRID = "#e4e8ec";
  const PASS = "#1a7f37";
  const FAIL = "#b3261e";
  /** 1/(1-p) for 0%, 50%, 90%, 99%, ...: where the percentile axis is labelled. */
  const PERCENTILE_TICKS = [1, 2, 10, 100, 1e3, 1e4, 1e5, 1e6];

  /** The percentile (0..100) at x = 1/(1-p). */
  const percentileAt = (x) => 100 * (1 - 1 / x);

  /** A tick's label: 50%, 90%, 99%, 99.9%, ... (x is a power of ten, or 1 or 2). */
  const percentileTick = (x) => (x == null ? "" : `${Number(percentileAt(x).toFixed(6))}%`);

  /** A hovered x, to as many digits as its decade needs: 42.3%, 99.81%, 99.9962%. */
  const percentileText = (x) => {
    if (x == null) return "";
    if (x <= 1) return "0%";
    const digits = Math.max(1, Math.ceil(Math.log10(x)) - 1);
    return `${percentileAt(x).toFixed(digits)}%`;
  };

  const numberText = (v) =>
    v == null || !Number.isFinite(v)
      ? ""
      : v.toLocaleString("en-US", { maximumSignificantDigits: 3 });

  /** Log ticks: each power of ten, and 2 and 5 between them when there are few decades. */
  const logTicks = (splits, min, max) => {
    const decades = Math.log10(max / min);
    return splits.map((v) => {
      if (v == null) return "";
      const mantissa = Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
      const shown =
        decades <= 2.5 ? mantissa === 1 || mantissa === 2 || mantissa === 5 : mantissa === 1;
      return shown ? numberText(v) : "";
    });
  };

  const axis = (label, extra) => ({
    label,
    stroke: INK,
    font: `12px ${FAMILY}`,
    labelFont: `600 12px ${FAMILY}`,
    labelSize: 20,
    size: 34,
    grid: { stroke: GRID, width: 1 },
    ticks: { stroke: GRID, width: 1, size: 5 },
    ...extra,
  });

  function xOptions(chart) {
    if (chart.x.kind === "percentile") {
      return {
        scale: { time: false, distr: 3, log: 10, range: [1, chart.x.max] },
        axis: axis(chart.x.label, {
          splits: (_u, _i, min, max) =>
            PERCENTILE_TICKS.filter((t) => t >= min * 0.999 && t <= max * 1.001),
          // Every tick labelled (uPlot's own filter for log axes would drop 50%).
          filter: (_u, splits) => splits,
          values: (_u, splits) => splits.map(percentileTick),
        }),
        value: (_u, v) => percentileText(v),
      };
    }
    if (chart.x.kind === "log") {
      return {
        scale: { time: false, distr: 3, log: 10, range: [chart.x.min, chart.x.max] },
        axis: axis(chart.x.label, {
          values: (_u, splits) => logTicks(splits, chart.x.min, chart.x.max),
        }),
        value: (_u, v) => numberText(v),
      };
    }
    return {
      scale: { time: false, range: [chart.x.min, chart.x.max] },
      axis: axis(chart.x.label, { values: (_u, splits) => splits.map(numberText) }),
      value: (_u, v) => numberText(v),
    };
  }

  function yOptions(chart) {
    const [min, max] = chart.y.range;
    if (chart.y.log) {
      return {
        scale: { distr: 3, log: 10, range: [min, max] },
        axis: axis(chart.y.label, {
          size: 62,
          values: (_u, splits) => logTicks(splits, min, max),
        }),
      };
    }
    return {
      scale: { range: [min, max] },
      axis: axis(chart.y.label, { size: 62, values: (_u, splits) => splits.map(numberText) }),
    };
  }

  /** Text at (x, y), left-aligned, over a white outline: it reads across lines and grid. */
  function label(ctx, text, x, y, colour) {
    ctx.save();
    ctx.textAlign = "left";
    ctx.textBaseline = "bottom";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4 * uPlot.pxRatio;
    ctx.strokeStyle = "rgba(255, 255, 255, 0.92)";
    ctx.strokeText(text, x, y);
    ctx.fillStyle = colour;
    ctx.fillText(text, x, y);
    ctx.restore();
  }

  /** A threshold: dashed at its limit, up to its percentile (or across), a diamond, its text. */
  function drawMarks(u, marks) {
    const ctx = u.ctx;
    const r = uPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.font = `600 ${11 * r}px ${FAMILY}`;
    for (const mark of marks) {
      const y = u.valToPos(mark.y, "y", true);
      if (!(y >= top - 1 && y <= top + height + 1)) continue;
      const x = mark.x == null ? left + width : u.valToPos(mark.x, "x", true);
      const colour = mark.passed ? PASS : FAIL;
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 1.5 * r;
      ctx.setLineDash([6 * r, 4 * r]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(x, y);
      ctx.stroke();
      ctx.setLineDash([]);
      if (mark.x != null) {
        const s = 5 * r;
        ctx.beginPath();
        ctx.moveTo(x, y - s);
        ctx.lineTo(x + s, y);
        ctx.lineTo(x, y + s);
        ctx.lineTo(x - s, y);
        ctx.closePath();
        ctx.fill();
      }
      const text = `${mark.label} ${mark.passed ? "✓ kept" : "✗ broken"}`;
      const textWidth = ctx.measureText(text).width;
      // Left of the diamond, above the line; inside the plot.
      const at = Math.max(left + 4 * r, Math.min(x - textWidth - 8 * r, left + width - textWidth));
      // On the side the data must not be: above an upper bound (p99<50ms), below a lower one.
      label(ctx, text, at, mark.below ? y + 16 * r : y - 4 * r, colour);
    }
    ctx.restore();
  }

  /** Notes above points (e.g. "past the end" on the page-depth curve). */
  function drawNotes(u, notes) {
    const ctx = u.ctx;
    const r = uPlot.pxRatio;
    const { left, width, top } = u.bbox;
    ctx.save();
    ctx.font = `italic ${11 * r}px ${FAMILY}`;
    for (const note of notes) {
      const x = u.valToPos(note.x, "x", true);
      const y = u.valToPos(note.y, "y", true);
      const textWidth = ctx.measureText(note.text).width;
      const at = Math.min(Math.max(left, x - textWidth / 2), left + width - textWidth);
      label(ctx, note.text, at, Math.max(top + 12 * r, y - 10 * r), MUTED);
    }
    ctx.restore();
  }

  function options(chart) {
    const x = xOptions(chart);
    const y = yOptions(chart);
    return {
      width: chart.width,
      height: chart.height,
      padding: [14, 32, 0, 0],
      scales: { x: x.scale, y: y.scale },
      axes: [x.axis, y.axis],
      series: [
        { label: chart.x.legend, value: x.value },
        ...chart.series.map((series) => ({
          label: series.label,
          stroke: series.colour,
          width: series.width ?? 2,
          dash: series.dash ?? undefined,
          spanGaps: false,
          points: {
            show: series.points === true,
            size: series.line === false ? 9 : 7,
            fill: series.colour,
          },
          ...(series.line === false ? { paths: () => null } : {}),
          value: (_u, v) => (v == null ? "" : `${numberText(v)} ${chart.y.unit}`),
        })),
      ],
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      hooks: {
        // No cursor on the chart: the legend shows the series' names only (see bench.css).
        init: [(u) => u.root.classList.add("idle")],
        setCursor: [(u) => u.root.classList.toggle("idle", u.cursor.idx == null)],
        draw: [
          (u) => {
            if (chart.marks.length > 0) drawMarks(u, chart.marks);
            if (chart.notes.length > 0) drawNotes(u, chart.notes);
          },
        ],
      },
    };
  }

  let drawn = 0;
  for (const chart of charts) {
    const slot = document.getElementById(chart.id);
    if (!slot) continue;
    slot.textContent = "";
    try {
      new uPlot(options(chart), [chart.xs, ...chart.series.map((series) => series.values)], slot);
      slot.dataset.drawn = "true";
      drawn += 1;
    } catch (error) {
      slot.textContent = `This chart could not be drawn: ${error?.message ?? error}`;
      console.error(error);
    }
  }
  document.documentElement.dataset.chartsDrawn = String(drawn);
}
