/* gan4j run report: draws the page model in #gan4j-data with uPlot; in live mode polls the dashboard for updates.
 * window.__gan4j exposes what is drawn (points per chart, sample frames, the uPlot objects) for tests and curious users. */
(function () {
  'use strict';
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
  // the class-mix chart draws up to ten classes (RunData.MAX_CLASSES_CHARTED): ten colours, none repeated
  var CLASS_COLORS = COLORS.concat(['#7f7f7f']);
  // compared runs: one colour per run, so a run's quantities are told apart by their line: the first solid, the others
  // each with a dash pattern of its own (and, each time the patterns run out, a line 1 px thicker); in one run, the
  // evaluation metrics after the first COLORS.length the same way, the colours repeating
  var DASHES = [[6, 4], [2, 3], [12, 3, 2, 3], [14, 5], [5, 2, 1, 2, 1, 2], [1, 6], [8, 3, 8, 8]];
  function lineStyle(index) {
    if (index <= 0) { return { dash: null, width: 1.5 }; }
    return { dash: DASHES[(index - 1) % DASHES.length], width: 1.5 + Math.floor((index - 1) / DASHES.length) };
  }
  var model = JSON.parse(document.getElementById('gan4j-data').textContent);
  var state = window.__gan4j = { ready: false, updates: 0, polls: 0, charts: {}, plots: {}, frames: {}, model: model, error: null };
  var app = document.getElementById('app');
  var charts = [];      // {id, make(run models) -> {xs, series}, plot, box}
  var viewers = [];     // frame viewers to refresh on update
  var smoothing = 0;
  var etag = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (key === 'text') { node.textContent = attrs[key]; }
        else if (key === 'className') { node.className = attrs[key]; }
        else if (key.indexOf('on') === 0) { node.addEventListener(key.substring(2), attrs[key]); }
        else { node.setAttribute(key, attrs[key]); }
      });
    }
    (children || []).forEach(function (child) {
      if (child != null) { node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child); }
    });
    return node;
  }

  function fmt(value, digits) {
    if (value == null || value === '' || (typeof value === 'number' && !isFinite(value))) { return '–'; }
    if (typeof value !== 'number') { return String(value); }
    if (Number.isInteger(value) && Math.abs(value) < 1e7) { return String(value); }
    var abs = Math.abs(value);
    if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) { return value.toExponential(2); }
    return value.toFixed(digits == null ? 4 : digits);
  }

  function duration(seconds) {
    if (seconds == null || !isFinite(seconds)) { return '–'; }
    seconds = Math.round(seconds);
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + ' h ' : '') + (h || m ? m + ' min ' : '') + s + ' s';
  }

  function last(values) {
    for (var i = (values || []).length - 1; i >= 0; i--) { if (values[i] != null) { return values[i]; } }
    return null;
  }

  function smooth(values) {
    if (!smoothing || !values) { return values; }
    var out = new Array(values.length), ema = null, weight = 0;
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (v == null) { out[i] = null; continue; }
      ema = ema == null ? 0 : ema;
      ema = smoothing * ema + (1 - smoothing) * v;
      weight = smoothing * weight + (1 - smoothing);
      out[i] = ema / weight;  // debiased, as TensorBoard does
    }
    return out;
  }

  /* ---------- charts ---------- */

  function markerPlugin(getMarkers) {
    return {
      hooks: {
        draw: function (u) {
          var markers = getMarkers(), ctx = u.ctx, ratio = window.devicePixelRatio || 1;
          ctx.save();
          var labelled = 0;
          markers.forEach(function (m) {
            var x = Math.round(u.valToPos(m.step, 'x', true));
            if (!(x >= u.bbox.left && x <= u.bbox.left + u.bbox.width)) { return; }
            ctx.strokeStyle = m.color;
            ctx.lineWidth = (m.width || 1) * ratio;
            ctx.setLineDash(m.dash ? m.dash.map(function (d) { return d * ratio; }) : []);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            if (m.label) {
              ctx.fillStyle = m.color;
              ctx.font = (11 * ratio) + 'px system-ui, sans-serif';
              // set the alignment (uPlot leaves the axes' one behind): right of the line where the label fits inside
              // the plot, else left of it; each label on its own row, so two markers' labels never overlap
              var fits = x + 4 * ratio + ctx.measureText(m.label).width <= u.bbox.left + u.bbox.width;
              ctx.textAlign = fits ? 'left' : 'right';
              ctx.textBaseline = 'alphabetic';
              ctx.fillText(m.label, fits ? x + 4 * ratio : x - 4 * ratio, u.bbox.top + (13 + 14 * labelled++) * ratio);
            }
          });
          ctx.restore();
        }
      }
    };
  }

  /* Horizontal dashed lines at given y values, each in its series' colour and hidden with it (a class's real share). */
  function levelPlugin(getLevels) {
    return {
      hooks: {
        draw: function (u) {
          var ratio = window.devicePixelRatio || 1, ctx = u.ctx;
          ctx.save();
          ctx.lineWidth = 1.5 * ratio;
          ctx.setLineDash([6 * ratio, 4 * ratio]);
          getLevels().forEach(function (level) {
            var series = u.series[level.series];
            if (!series || series.show === false) { return; }
            var y = Math.round(u.valToPos(level.value, 'y', true));
            if (!(y >= u.bbox.top && y <= u.bbox.top + u.bbox.height)) { return; }
            ctx.strokeStyle = level.color;
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
          });
          ctx.restore();
        }
      }
    };
  }

  /* Aligns several (xs, ys...) tables on the union of their x values. */
  function joinTables(tables) {
    if (tables.length === 1) { return tables[0]; }
    return uPlot.join(tables);
  }

  function chartWidth(box) {
    return Math.max(280, Math.floor(box.getBoundingClientRect().width) - 4);
  }

  /* spec: {id, title, yLabel, range:[lo,hi]|function(u, min, max)|null, build: function(runs) -> {tables:[[xs, ys..]],
   * series:[{label,color,dash,width,value}], markers:[...], counts:[points per series], levels:[{series, value, color}],
   * note (replaces spec.note), hidden (hides the card)}} */
  function addChart(parent, spec) {
    var box = el('div', { className: 'chart', id: 'chart-' + spec.id, 'data-chart': spec.id });
    var card = el('section', { className: 'card chart-card', id: 'card-' + spec.id }, [el('h3', { text: spec.title }), box]);
    var note = spec.note ? el('p', { className: 'note', text: spec.note }) : null;
    if (note) { card.appendChild(note); }
    parent.appendChild(card);
    // shownByReader: label -> shown, for each series the reader showed or hid in the legend; kept when the chart is
    // drawn anew (a new metric on a live page), where uPlot's own state goes with the old plot
    var entry = { spec: spec, box: box, card: card, note: note, plot: null, markers: [], levels: [], width: 0, shownByReader: {} };
    charts.push(entry);  // drawn by refresh(), once every card is in place and the grid has its final column widths
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        var width = chartWidth(box);
        if (entry.plot && Math.abs(width - entry.width) > 2) {
          entry.width = width;
          entry.plot.setSize({ width: width, height: spec.height || 260 });
        }
      }).observe(box);
    }
    return entry;
  }

  function drawChart(entry) {
    var built = entry.spec.build(model.runs);
    var data = joinTables(built.tables);
    data = [data[0]].concat(data.slice(1).map(function (ys, i) { return built.series[i].raw ? ys : smooth(ys); }));
    entry.markers = built.markers || [];
    entry.levels = built.levels || [];
    if (entry.note && built.note != null) { entry.note.textContent = built.note; }
    entry.card.style.display = built.hidden ? 'none' : '';
    var points = data[0].length;
    var labels = built.series.map(function (s) { return s.label; });
    state.charts[entry.spec.id] = { points: points, series: built.counts, labels: labels, hidden: !!built.hidden,
      dashed: built.series.map(function (s) { return !!(s.dash && s.dash.length); }),
      dashes: built.series.map(function (s) { return s.dash && s.dash.length ? s.dash : null; }),
      colors: built.series.map(function (s) { return s.color; }),
      widths: built.series.map(function (s) { return s.width || 1.5; }),
      markers: entry.markers.filter(function (m) { return m.label; }).map(function (m) { return m.label; }) };
    entry.box.setAttribute('data-points', String(points));
    var sameSeries = entry.plot && entry.plot.series.length === data.length &&
      labels.every(function (label, i) { return entry.plot.series[i + 1].label === label; });
    // keep the reader's zoom: reset the x range only when it showed everything there was
    var zoom = entry.plot ? zoomOf(entry.plot) : null;
    if (sameSeries) {
      entry.plot.setData(data, !zoom);
      state.charts[entry.spec.id].shown = shownSeries(entry.plot);
      return;
    }
    if (entry.plot) { entry.plot.destroy(); }
    var series = [{ label: 'step', value: function (u, v) { return v == null ? '–' : String(v); } }].concat(
      built.series.map(function (s) {
        return {
          label: s.label, stroke: s.color, width: s.width || 1.5, dash: s.dash, spanGaps: true,
          show: Object.prototype.hasOwnProperty.call(entry.shownByReader, s.label) ? entry.shownByReader[s.label] : s.show !== false,
          // training curves have no dots (hundreds of rows), but a curve with a single value would show nothing
          points: { show: s.points ? true : loneValue, size: 6, fill: s.color },
          value: s.value || function (u, v) { return fmt(v); }
        };
      }));
    entry.width = chartWidth(entry.box);
    var opts = {
      width: entry.width, height: entry.spec.height || 260,
      series: series,
      scales: { x: { time: false }, y: entry.spec.range ? { range: entry.spec.range } : {} },
      axes: [{ label: 'step', size: 40 }, { label: entry.spec.yLabel || '', size: 60 }],
      cursor: { drag: { x: true, y: false }, points: { size: 7 } },
      legend: { live: true },
      hooks: {
        setSeries: [function (u, index, opts) {
          if (!opts || opts.show == null) { return; }
          u.series.forEach(function (s, i) { if (i > 0 && (index == null || i === index)) { entry.shownByReader[s.label] = s.show !== false; } });
          state.charts[entry.spec.id].shown = shownSeries(u);
        }]
      },
      plugins: [markerPlugin(function () { return entry.markers; }), levelPlugin(function () { return entry.levels; })]
    };
    entry.plot = state.plots[entry.spec.id] = new uPlot(opts, data, entry.box);
    // drawn anew (a metric appeared): the zoom goes on too, as the legend choices do
    if (zoom) { entry.plot.setScale('x', zoom); }
    lineMarkers(entry.plot, built.series);
    state.charts[entry.spec.id].shown = shownSeries(entry.plot);
  }

  /* In a chart with dashed lines, each legend entry's marker is a sample of its line, dash pattern included (uPlot's
   * markers are squares in the line's colour: a compared run's metrics all had the same one). */
  function lineMarkers(plot, series) {
    if (!series.some(function (s) { return s.dash && s.dash.length; })) { return; }
    var rows = plot.root.querySelectorAll('.u-legend tr.u-series');
    series.forEach(function (s, i) {
      var marker = rows[i + 1] && rows[i + 1].querySelector('.u-marker');
      if (!marker) { return; }
      var stops = [], at = 0;
      (s.dash || []).forEach(function (length, j) {
        stops.push((j % 2 ? 'transparent' : s.color) + ' ' + at + 'px ' + (at + length) + 'px');
        at += length;
      });
      marker.style.border = 'none';
      marker.style.width = '30px';
      marker.style.height = Math.max(2, Math.round(s.width || 1.5)) + 'px';
      marker.style.background = stops.length ? 'repeating-linear-gradient(90deg, ' + stops.join(', ') + ')' : s.color;
    });
  }

  /* The x range of a plot the reader zoomed into ({min, max}), or null where it shows every step it has. */
  function zoomOf(plot) {
    var scale = plot.scales.x, old = plot.data[0];
    var zoomed = old.length > 1 && scale.min != null && (scale.min > old[0] || scale.max < old[old.length - 1]);
    return zoomed ? { min: scale.min, max: scale.max } : null;
  }

  function loneValue(u, seriesIndex) {
    return countNonNull(u.data[seriesIndex]) === 1;
  }

  function shownSeries(plot) {
    return plot.series.slice(1).map(function (s) { return s.show !== false; });
  }

  function metricTable(run, key) {
    var m = run.metrics || {};
    return [m.step || [], m[key] || []];
  }

  function countNonNull(values) {
    var n = 0;
    (values || []).forEach(function (v) { if (v != null) { n++; } });
    return n;
  }

  function warningMarkers(runs) {
    var markers = [];
    runs.forEach(function (run) {
      (run.warnings || []).forEach(function (w) {
        markers.push({ step: w.step, color: w.kind === 'alarm' ? '#b30000' : '#e07b00', dash: [4, 3], width: 1.5 });
      });
    });
    return markers;
  }

  function bestMarker(runs, label) {
    var markers = [];
    runs.forEach(function (run, i) {
      var best = run.evaluation && run.evaluation.best;
      if (best) {
        markers.push({ step: best.step, color: '#2a9d3a', width: 2, label: (label ? run.name + ': ' : '') + 'best ' + best.metric + ' @ ' + best.step });
      }
    });
    return markers;
  }

  /* Chart over metrics.jsonl keys: one run -> one series per key; several runs -> each key per run. hideEmpty: no card
   * while no run has a value for any of the keys (rows written before the columns were, or by hand); a live page shows
   * it with the first such value. */
  function metricSpec(id, title, keys, labels, yLabel, range, note, hideEmpty) {
    return {
      id: id, title: title, yLabel: yLabel, range: range, note: note,
      build: function (runs) {
        var tables = [], series = [], counts = [];
        runs.forEach(function (run, r) {
          keys.forEach(function (key, k) {
            if (!run.metrics || !run.metrics[key]) { return; }
            tables.push(metricTable(run, key));
            counts.push(countNonNull(run.metrics[key]));
            var style = lineStyle(runs.length > 1 ? k : 0);
            series.push({
              label: runs.length > 1 ? run.name + ' · ' + labels[k] : labels[k],
              color: runs.length > 1 ? COLORS[r % COLORS.length] : COLORS[k % COLORS.length],
              dash: style.dash, width: style.width
            });
          });
        });
        var empty = !counts.some(function (n) { return n > 0; });
        if (!tables.length) { tables.push([[], []]); series.push({ label: 'no data', color: '#999' }); counts.push(0); }
        return { tables: tables, series: series, counts: counts, markers: warningMarkers(runs), hidden: !!hideEmpty && empty };
      }
    };
  }

  /* The evaluated metrics of the runs, in the order they first appear. */
  function evaluationNames(runs) {
    var names = [];
    runs.forEach(function (run) {
      Object.keys((run.evaluation && run.evaluation.series) || {}).forEach(function (n) { if (names.indexOf(n) < 0) { names.push(n); } });
    });
    return names;
  }

  /* The evaluation chart. Its metrics are read at every update: a live page opened before the first evaluation keeps
   * a hidden chart that shows up with it, and takes metrics that appear later. */
  function evaluationSpec() {
    return {
      id: 'evaluation', title: 'Evaluation metrics', yLabel: 'value',
      note: 'Shown: the metric that picks the best checkpoint; click a name in the legend to show another (their scales differ). ' +
        'Green line: best checkpoint (the one training kept with --best-by, else the best FD or KID, lower is better; else the first metric that ranks generators, as --best-by ranks it (D accuracy and ROC AUC: closest to 0.5): not pixel diversity).',
      build: function (runs) {
        var names = evaluationNames(runs);
        if (!names.length) {
          return { tables: [[[], []]], series: [{ label: 'no data', color: '#999' }], counts: [0], hidden: true };
        }
        var tables = [], series = [], counts = [];
        // metrics of very different scales (FD ~100, precision ~0.5, Parzen ~-200) on one axis flatten each other:
        // show each run's deciding metric only, the others one legend click away
        var shownOf = function (ev) {
          return (ev.best && ev.series[ev.best.metric]) ? ev.best.metric : names.filter(function (n) { return ev.series[n]; })[0];
        };
        // compared runs: one colour per run, and the line's dash says the metric, the same in every run: solid for the
        // metric the chart shows (the first run's, where the runs' deciding metrics differ), each other one with a dash
        // pattern of its own (until 1 December they shared one, so two shown metrics of a run looked alike)
        var lead = null;
        runs.forEach(function (run) { if (lead == null && run.evaluation) { lead = shownOf(run.evaluation) || null; } });
        var others = names.filter(function (n) { return n !== lead; });
        runs.forEach(function (run, r) {
          var ev = run.evaluation || { step: [], series: {} };
          var shown = shownOf(ev);
          names.forEach(function (name, k) {
            if (!ev.series[name]) { return; }
            tables.push([ev.step, ev.series[name]]);
            counts.push(countNonNull(ev.series[name]));
            var style = lineStyle(runs.length > 1 ? (name !== lead ? others.indexOf(name) + 1 : 0) : Math.floor(k / COLORS.length));
            series.push({ label: runs.length > 1 ? run.name + ' · ' + name : name, raw: true, points: true, show: name === shown,
              color: runs.length > 1 ? COLORS[r % COLORS.length] : COLORS[k % COLORS.length], dash: style.dash, width: style.width });
          });
        });
        if (!tables.length) { tables.push([[], []]); series.push({ label: 'no data', color: '#999' }); counts.push(0); }
        return { tables: tables, series: series, counts: counts, markers: bestMarker(runs, runs.length > 1) };
      }
    };
  }

  function percentText(share) {
    // as ClassMix.percent writes it: a share above 0 is not "0.0", one below 1 not "100" (99.6 % leaves a class out)
    var p = 100 * share;
    if (share === 0 || share === 1) { return share === 0 ? '0' : '100'; }
    if (p < 0.05) { return '< 0.1'; }
    if (p >= 99.5) { return Math.min(p, 99.9).toFixed(1); }
    return p < 10 ? p.toFixed(1) : p.toFixed(0);
  }

  /* One run's class mix over its evaluations (evaluation.classMix, from RunData.classMixChart): one line per class,
   * its share of the samples in %, and its real share as a dashed line of the same colour. One chart per run: compared
   * runs have their own evaluation steps, and may have other classes. Hidden while the run has no class mix. */
  function classMixSpec(r) {
    var spec = {
      id: 'class-mix-' + r, yLabel: '% of the samples',
      title: (model.runs.length > 1 ? model.runs[r].name + ': class mix' : 'Class mix') + ' over training',
      note: 'Share of the generated samples per class (reference classifier); dashed: its share of the real images.',
      range: function (u, min, max) {
        var top = Math.max(max == null ? 0 : max, spec.realMax || 0);
        return [0, top > 0 ? Math.min(100, top * 1.08) : 100];
      },
      build: function (runs) {
        var run = runs[r] || {}, mix = run.evaluation && run.evaluation.classMix;
        if (!mix || !mix.drawn || !mix.drawn.length) {
          return { tables: [[[], []]], series: [{ label: 'no data', color: '#999' }], counts: [0], hidden: true };
        }
        var table = [mix.step], series = [], counts = [], levels = [];
        // classes as common as one another among the real images (Fashion-MNIST, CIFAR): their share said once
        var sameReal = mix.drawn.every(function (cls) { return percentText(cls.real) === percentText(mix.drawn[0].real); });
        spec.realMax = 0;
        mix.drawn.forEach(function (cls, i) {
          var color = CLASS_COLORS[i % CLASS_COLORS.length];
          table.push(cls.samples.map(function (v) { return v == null ? null : 100 * v; }));
          counts.push(countNonNull(cls.samples));
          series.push({ label: sameReal ? cls.name : cls.name + ' (real ' + percentText(cls.real) + ' %)', color: color, raw: true, points: true,
            value: function (u, v) { return v == null ? '–' : percentText(v / 100) + ' %'; } });
          levels.push({ series: i + 1, value: 100 * cls.real, color: color });
          spec.realMax = Math.max(spec.realMax, 100 * cls.real);
        });
        var note = (sameReal ? spec.note.replace(/\.$/, ' (' + percentText(mix.drawn[0].real) + ' % for every class).') : spec.note) +
          ' A class that falls to 0 % is missing from the samples (mode collapse).';
        if (mix.omitted) {
          note += ' Drawn: the ' + mix.drawn.length + ' of ' + mix.classes + ' classes furthest from their real share;' +
            ' the other ' + mix.omitted + ' stay within ' + (100 * mix.omittedWithin).toFixed(1) + ' points of it at every evaluation.';
        }
        return { tables: [table], series: series, counts: counts, levels: levels, note: note };
      }
    };
    return spec;
  }

  /* ---------- frames (sample grids, scatter) ---------- */

  function frameViewer(parent, id, title, getFrames, note, plot) {
    // plot: the frames are charts with text (scatter), drawn at their own size and smoothed when scaled, not pixelated
    var img = el('img', { className: plot ? 'frame plot' : 'frame', alt: title });
    var label = el('span', { className: 'frame-step' });
    var slider = el('input', { type: 'range', min: '0', max: '0', value: '0', className: 'frame-slider' });
    var play = el('button', { type: 'button', text: '▶ play' });
    var strip = el('div', { className: plot ? 'filmstrip plot' : 'filmstrip' });
    var card = el('section', { className: 'card frames', id: 'frames-' + id }, [
      el('h3', { text: title }), note ? el('p', { className: 'note', text: note }) : null,
      el('div', { className: 'frame-controls' }, [play, slider, label]), img, strip]);
    parent.appendChild(card);
    var viewer = { id: id, frames: [], index: -1, timer: null };

    function show(index) {
      var frames = viewer.frames;
      if (!frames.length) { label.textContent = 'no frames yet'; return; }
      index = Math.max(0, Math.min(frames.length - 1, index));
      viewer.index = index;
      slider.value = String(index);
      if (img.getAttribute('src') !== frames[index].src) { img.setAttribute('src', frames[index].src); }
      label.textContent = 'step ' + frames[index].step + '  (' + (index + 1) + ' / ' + frames.length + ')';
      Array.prototype.forEach.call(strip.children, function (thumb, i) { thumb.classList.toggle('selected', i === index); });
      state.frames[id] = { count: frames.length, shown: frames[index].step, steps: frames.map(function (f) { return f.step; }) };
      card.setAttribute('data-frames', String(frames.length));
    }

    slider.addEventListener('input', function () { stop(); show(Number(slider.value)); });
    function stop() { if (viewer.timer) { clearInterval(viewer.timer); viewer.timer = null; play.textContent = '▶ play'; } }
    play.addEventListener('click', function () {
      if (viewer.timer) { stop(); return; }
      play.textContent = '❚❚ pause';
      if (viewer.index >= viewer.frames.length - 1) { show(0); }
      viewer.timer = setInterval(function () {
        if (viewer.index >= viewer.frames.length - 1) { stop(); return; }
        show(viewer.index + 1);
      }, 450);
    });

    viewer.update = function () {
      var frames = getFrames() || [];
      var atEnd = viewer.index < 0 || viewer.index >= viewer.frames.length - 1;
      var changed = frames.length !== viewer.frames.length ||
        (frames.length && viewer.frames.length && frames[frames.length - 1].step !== viewer.frames[viewer.frames.length - 1].step);
      viewer.frames = frames;
      slider.max = String(Math.max(0, frames.length - 1));
      if (changed || strip.children.length !== frames.length) {
        strip.textContent = '';
        frames.forEach(function (frame, i) {
          strip.appendChild(el('figure', { className: 'thumb', title: 'step ' + frame.step, onclick: function () { stop(); show(i); } }, [
            el('img', { src: frame.src, alt: 'step ' + frame.step, loading: 'lazy' }), el('figcaption', { text: String(frame.step) })]));
        });
      }
      card.style.display = frames.length ? '' : 'none';
      show(atEnd ? frames.length - 1 : viewer.index);
    };
    viewers.push(viewer);
    viewer.update();
    return viewer;
  }

  /* ---------- summary ---------- */

  // "3000 (stopped by --max-steps 3000; the config plans 400000)": a capped session is not a run short of its plan
  function stepsText(s) {
    if (s.maxSteps) {
      return s.lastStep >= s.maxSteps
        ? fmt(s.lastStep) + ' (stopped by --max-steps ' + s.maxSteps + '; the config plans ' + s.targetSteps + ')'
        : fmt(s.lastStep) + ' of ' + s.maxSteps + ' (--max-steps ' + s.maxSteps + '; the config plans ' + s.targetSteps + ')';
    }
    return fmt(s.lastStep) + (s.targetSteps ? ' of ' + s.targetSteps : '');
  }

  // how the best checkpoint's metric ranks: RunData's "better" (lower, higher, or closer to a target)
  function betterText(best) {
    if (best.better === 'closer') { return ' (closest to ' + best.target + ' is best)'; }
    if (best.better === 'lower' || best.better === 'higher') { return ' (' + best.better + ' is better)'; }
    return '';
  }

  function factRows(run) {
    var s = run.summary || {}, m = run.metrics || {};
    var versions = s.versions || {}, git = s.git || {};
    var best = run.evaluation && run.evaluation.best;
    var verdict = run.evaluation && run.evaluation.verdict;
    return [
      ['Run directory', run.directory],
      ['Data', s.data],
      ['Model', s.architecture],
      ['Seed', s.seed],
      ['Steps', stepsText(s)],
      // to the second, like the index's last write (the raw value carries nanoseconds)
      ['Started', typeof s.start === 'string' ? s.start.replace(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z$/, '$1 $2 UTC') : s.start],
      ['Duration (wall)', duration(s.durationSeconds)],
      ['Steps/s (wall, incl. samples and checkpoints)', fmt(s.stepsPerSecond, 2)],
      ['Median step time', s.medianStepSeconds != null ? fmt(s.medianStepSeconds * 1000, 1) + ' ms' : '–'],
      ['Final loss D / loss G', fmt(last(m.lossD), 3) + ' / ' + fmt(last(m.lossG), 3)],
      ['Final D(x) / D(G(z))', fmt(last(m.dReal), 3) + ' / ' + fmt(last(m.dFake), 3)],
      ['Best checkpoint', best ? best.metric + ' ' + fmt(best.value) + ' at step ' + best.step + betterText(best)
        : run.evaluation && run.evaluation.step && run.evaluation.step.length
          ? 'none: no evaluated metric ranks generators (pixel diversity cannot)' : 'no evaluation results'],
      // the step goes into the value, not the label: compared runs share the label row but not their evaluation steps;
      // one sentence per line, as gan4j evaluate prints them
      ['Verdict (latest evaluation)', verdict ? 'at step ' + verdict.step + ':\n' + verdict.lines.map(function (l) { return '• ' + l; }).join('\n')
        + (verdict.classMix ? '\nclass mix (samples vs real): ' + verdict.classMix : '') : '–'],
      ['Warnings', String((run.warnings || []).length)],
      ['Versions', Object.keys(versions).map(function (k) { return k + ' ' + versions[k]; }).join(', ')],
      ['Git', git.sha ? git.sha.substring(0, 12) + (git.dirty ? ' (dirty)' : '') : '–'],
      ['Host', s.host]
    ];
  }

  function table(rows, className) {
    return el('table', { className: className || 'facts' }, [el('tbody', null, rows.map(function (row, i) {
      return el('tr', null, row.map(function (cell, c) {
        return el(c === 0 || (i === 0 && row.header) ? 'th' : 'td', { text: cell == null ? '–' : String(cell) });
      }));
    }))]);
  }

  function configDiffTable(runs) {
    var keys = [];
    runs.forEach(function (run) {
      Object.keys((run.summary && run.summary.configDiff) || {}).forEach(function (k) { if (keys.indexOf(k) < 0) { keys.push(k); } });
    });
    keys.sort();
    if (!keys.length) { return el('p', { className: 'note', text: 'Every config key has its default value.' }); }
    var head = el('tr', null, [el('th', { text: 'key' })].concat(runs.map(function (run) { return el('th', { text: runs.length > 1 ? run.name : 'value' }); })));
    var body = keys.map(function (key) {
      return el('tr', null, [el('th', { text: key })].concat(runs.map(function (run) {
        var v = (run.summary.configDiff || {})[key];
        return el('td', { text: v === undefined ? '(default)' : (typeof v === 'object' ? JSON.stringify(v) : String(v)) });
      })));
    });
    return el('table', { className: 'facts config' }, [el('thead', null, [head]), el('tbody', null, body)]);
  }

  function warningsCard(parent) {
    var card = el('section', { className: 'card', id: 'warnings' }, [el('h3', { text: 'Health warnings and alarms' })]);
    var holder = el('div');
    card.appendChild(holder);
    parent.appendChild(card);
    var refresh = function () {
      holder.textContent = '';
      var rows = [];
      model.runs.forEach(function (run) {
        (run.warnings || []).forEach(function (w) { rows.push([model.runs.length > 1 ? run.name : null, w.step, w.kind, w.text]); });
      });
      if (!rows.length) { holder.appendChild(el('p', { className: 'note', text: 'None: training raised no warnings.' })); return; }
      holder.appendChild(el('p', { className: 'note', text: 'Dashed orange (warning) and red (alarm) lines on the loss and D charts mark these steps.' }));
      holder.appendChild(el('table', { className: 'facts warnings' }, [el('tbody', null, rows.slice(-200).map(function (r) {
        return el('tr', { className: r[2] }, [r[0] ? el('td', { text: r[0] }) : null, el('td', { text: 'step ' + r[1] }), el('td', { text: r[2] }), el('td', { text: r[3] })]);
      }))]));
    };
    refresh();
    return refresh;
  }

  /* ---------- live progress ---------- */

  function progressBar(parent) {
    var fill = el('div', { className: 'progress-fill' });
    var text = el('span', { className: 'progress-text' });
    var status = el('span', { className: 'live-status', id: 'live-status', text: 'connecting…' });
    var card = el('section', { className: 'card progress-card' }, [el('div', { className: 'progress' }, [fill]), text, status]);
    parent.appendChild(card);
    return {
      update: function () {
        var parts = model.runs.map(function (run) {
          var p = run.progress || {}, s = run.summary || {};
          var target = p.target || s.targetSteps || 0, step = p.step != null ? p.step : s.lastStep;
          if (model.runs.length === 1) { fill.style.width = (target ? Math.min(100, 100 * step / target) : 0) + '%'; }
          return (model.runs.length > 1 ? run.name + ': ' : '') + (p.state || '') + ' · step ' + step + (target ? ' / ' + target : '') +
            (s.maxSteps && target === s.maxSteps ? ' (--max-steps; the config plans ' + s.targetSteps + ')' : '') +
            (p.stepsPerSecond ? ' · ' + fmt(p.stepsPerSecond, 2) + ' steps/s' : '') +
            (p.etaSeconds != null && p.state === 'training' ? ' · ETA ' + duration(p.etaSeconds) : '');
        });
        text.textContent = parts.join('   |   ');
      },
      status: function (message, ok) { status.textContent = message; status.className = 'live-status ' + (ok ? 'ok' : 'bad'); }
    };
  }

  /* ---------- page ---------- */

  var refreshers = [];

  function build() {
    var runs = model.runs;
    var compare = runs.length > 1;
    var header = el('header', null, [
      el('h1', { text: model.title || 'gan4j report' }),
      el('p', { className: 'subtitle', text: (model.live ? 'Live dashboard · updates every ' + (model.live.intervalMillis / 1000) + ' s' : 'Report generated ' + model.generated) +
        ' · drag on a chart to zoom, double-click to reset, hover for values' })
    ]);
    app.appendChild(header);
    var progress = null;
    if (model.live) { progress = progressBar(app); refreshers.push(progress.update); }

    var controls = el('div', { className: 'controls' });
    var smoothLabel = el('span', { text: 'smoothing 0' });
    var smoothInput = el('input', { type: 'range', min: '0', max: '0.99', step: '0.01', value: '0', id: 'smoothing' });
    smoothInput.addEventListener('input', function () {
      smoothing = Number(smoothInput.value);
      smoothLabel.textContent = 'smoothing ' + smoothing.toFixed(2);
      charts.forEach(drawChart);
    });
    controls.appendChild(el('label', null, ['Curves: ', smoothInput, ' ', smoothLabel]));
    app.appendChild(controls);

    var top = el('div', { className: 'grid two' });
    app.appendChild(top);
    if (compare) {
      var factsHolder = el('div');
      top.appendChild(el('section', { className: 'card wide' }, [el('h2', { text: 'Runs compared' }), factsHolder]));
      var refreshFacts = function () {
        factsHolder.textContent = '';
        var rowsByRun = model.runs.map(factRows);
        var rows = [[''].concat(model.runs.map(function (r) { return r.name; }))];
        rows[0].header = true;
        rowsByRun[0].forEach(function (row, i) { rows.push([row[0]].concat(rowsByRun.map(function (rr) { return rr[i][1]; }))); });
        factsHolder.appendChild(table(rows, 'facts compare'));
      };
      refreshFacts();
      refreshers.push(refreshFacts);
    } else {
      var holder = el('div');
      top.appendChild(el('section', { className: 'card' }, [el('h2', { text: 'Run summary' }), holder]));
      var refreshSummary = function () { holder.textContent = ''; holder.appendChild(table(factRows(model.runs[0]))); };
      refreshSummary();
      refreshers.push(refreshSummary);
    }
    var diffHolder = el('div');
    top.appendChild(el('section', { className: 'card' + (compare ? ' wide' : '') }, [el('h2', { text: 'Config (differences from the defaults)' }), diffHolder]));
    diffHolder.appendChild(configDiffTable(runs));

    app.appendChild(el('h2', { text: 'Training curves' }));
    var grid = el('div', { className: 'grid two' });
    app.appendChild(grid);
    addChart(grid, metricSpec('losses', 'Losses', ['lossD', 'lossG'], ['loss D', 'loss G'], 'loss', null,
      'loss D = −[log D(x) + log(1 − D(G(z)))]; loss G as configured (non-saturating: −log D(G(z))).'));
    addChart(grid, metricSpec('d-outputs', 'Discriminator outputs', ['dReal', 'dFake', 'dFakeAfter'], ['D(x)', "D(G(z)) before D's update", "D(G(z)) after D's update"], 'probability', [0, 1],
      'Mean D on real and generated batches. Both near 0.5: D cannot tell them apart; D(x)→1 with D(G(z))→0: D wins.', true));
    // a run without evaluations gets no chart; a live page keeps a hidden one that shows up with the first evaluation
    if (model.live || evaluationNames(runs).length) { addChart(grid, evaluationSpec()); }
    runs.forEach(function (run, r) {
      // a run without a class mix (2-D data, no classifier, an older run) gets no chart; a live page keeps a hidden one
      // that shows up with the run's first class mix
      if (model.live || (run.evaluation && run.evaluation.classMix)) { addChart(grid, classMixSpec(r)); }
    });
    addChart(grid, metricSpec('step-time', 'Step time', ['secs', 'dataWaitSecs'], ['seconds per step', 'waiting for data'], 'seconds', null, null, true));

    refreshers.push(warningsCard(app));

    app.appendChild(el('h2', { text: compare ? 'Samples' : 'Samples from the fixed noise' }));
    // without this a run that has written no sample grid or scatter frame yet shows a bare heading
    var noFrames = el('p', { className: 'note', id: 'no-frames',
      text: 'No sample grids or 2-D scatter frames yet: training writes them every output.sampleEvery / output.plotEvery steps and at the end.' });
    app.appendChild(noFrames);
    refreshers.push(function () {
      var any = model.runs.some(function (run) { return (run.samples || []).length || (run.scatter || []).length; });
      noFrames.style.display = any ? 'none' : '';
    });
    runs.forEach(function (run, r) {
      var section = el('div', { className: 'grid two samples' });
      app.appendChild(section);
      if (!compare) {
        var finalFig = el('img', { className: 'frame', alt: 'final samples', id: 'final-samples' });
        var finalCap = el('p', { className: 'note' });
        var realFig = el('img', { className: 'frame', alt: 'real data' });
        var finalCard = el('section', { className: 'card', id: 'final-samples-card' }, [el('h3', { text: 'Final samples' }), finalFig, finalCap]);
        var realCard = el('section', { className: 'card', id: 'real-data-card' }, [el('h3', { text: 'Real data' }), realFig]);
        section.appendChild(finalCard);
        section.appendChild(realCard);
        var refreshFinal = function () {
          var run0 = model.runs[0], frames = run0.samples || [];
          if (frames.length) { finalFig.setAttribute('src', frames[frames.length - 1].src); finalCap.textContent = 'step ' + frames[frames.length - 1].step; }
          if (run0.real) { realFig.setAttribute('src', run0.real); }
          // 2-D runs write no sample grids (their samples are the scatter frames): no empty, broken-image cards
          finalCard.style.display = frames.length ? '' : 'none';
          realCard.style.display = run0.real ? '' : 'none';
        };
        refreshFinal();
        refreshers.push(refreshFinal);
      }
      frameViewer(compare ? section : app, 'samples-' + r, (compare ? run.name + ': ' : '') + 'Sample grids over time',
        function () { return model.runs[r].samples; }, 'The same noise vectors at every step: watch the generator learn.');
      frameViewer(compare ? section : app, 'scatter-' + r, (compare ? run.name + ': ' : '') + '2-D data: samples and decision contour over time',
        function () { return model.runs[r].scatter; }, null, true);
    });
    app.appendChild(el('footer', null, ['gan4j · charts by uPlot (bundled) · everything on this page is inline; nothing is loaded from the network.']));
    return progress;
  }

  function refresh() {
    charts.forEach(drawChart);
    viewers.forEach(function (v) { v.update(); });
    refreshers.forEach(function (f) { f(); });
  }

  function poll(progress) {
    var headers = etag ? { 'If-None-Match': etag } : {};
    fetch(model.live.url, { cache: 'no-store', headers: headers }).then(function (response) {
      state.polls++;
      if (response.status === 304) { progress.status('live · up to date', true); return null; }
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      etag = response.headers.get('ETag');
      return response.json();
    }).then(function (fresh) {
      if (fresh) {
        fresh.live = model.live;
        model = state.model = fresh;
        refresh();
        state.updates++;
        progress.status('live · updated ' + new Date().toLocaleTimeString(), true);
      }
    }).catch(function (error) {
      state.error = String(error);
      progress.status('server unreachable, retrying… (' + error.message + ')', false);
    }).then(function () {
      setTimeout(function () { poll(progress); }, model.live.intervalMillis || 2000);
    });
  }

  try {
    var progress = build();
    refresh();
    state.ready = true;
    if (model.live) { poll(progress); }
  } catch (error) {
    state.error = String(error && error.stack || error);
    app.appendChild(el('pre', { className: 'error', text: 'The report could not be drawn: ' + state.error }));
    throw error;
  }
})();
