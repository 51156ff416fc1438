// The report's in-page what-if: recomputes the forward replay ("if we train on D") from the per-day
// aggregates embedded in the page (#what-if-data), as ftaudit.replay.forward_schedule.lay_out does in
// Python, so the default inputs give the page's static verdict. No network, no per-call data.
(function () {
  'use strict';
  var DAY_MS = 86400000;
  var TWELVE_MONTHS_DAYS = 365;

  function dayOf(iso) { return Math.round(Date.parse(iso + 'T00:00:00Z') / DAY_MS); }
  function isoOf(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }
  function num(text) { return text === null || text === undefined || text === '' ? 0 : parseFloat(text); }
  function usd(value) {
    if (value === null || value === undefined) { return '—'; }
    var cents = Math.round(value * 100) / 100;
    var text = Math.abs(cents).toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
    return (cents < 0 ? '-$' : '$') + text;
  }

  // Fixed costs of one day: training on the training day, a retraining every N days, hosting for
  // each hour of a serving day, storage for each started 30-day month (forward_schedule.Fixed.on).
  function fixedOn(day, trainingDay, serving, fixed) {
    var n = day - trainingDay;
    var cost = n === 0 ? fixed.training : 0;
    if (fixed.retrainEvery && n > 0 && n % fixed.retrainEvery === 0) { cost += fixed.retrain; }
    if (serving) { cost += fixed.hosting * 24; }
    if (n % 30 === 0) { cost += fixed.storage; }
    return cost;
  }

  // Every day from the training day to plan.lastDay, the window `cycle` (indices into the window)
  // replayed from the first serving day, each forward day on a window day of the same weekday.
  function layOut(plan, cycle) {
    var t = plan.target;
    var offset = (((plan.servingFrom - plan.windowDays[cycle[0]]) % 7) + 7) % 7;
    var out = [];
    var cumulative = 0;
    var segment = 0;
    for (var day = plan.trainingDay; day <= plan.lastDay; day++) {
      var serving = day >= plan.servingFrom;
      var base = 0, tuned = 0;
      if (serving) {
        while (segment + 1 < plan.segments.length && plan.segments[segment + 1].start <= day) { segment++; }
        var k = cycle[(offset + day - plan.servingFrom) % cycle.length];
        var seg = plan.segments[segment];
        base = seg.base[k] * plan.volume;
        tuned = (seg.tuned[k] + seg.calls[k] * plan.removedDelta) * plan.volume;
      }
      var fixed = fixedOn(day, plan.trainingDay, serving, plan.fixed);
      cumulative += base - tuned - fixed;
      out.push({day: day, serving: serving, net: cumulative});
    }
    return out;
  }

  function breakEven(days, until) {
    for (var i = 0; i < days.length; i++) {
      if (days[i].serving && days[i].day <= until && days[i].net >= 0) { return days[i].day; }
    }
    return null;
  }

  function netBy(days, day) {
    var last = null;
    for (var i = 0; i < days.length && days[i].day <= day; i++) { last = days[i].net; }
    return last;
  }

  // The forward replay of one target trained on `start` with the given inputs (forward.forward).
  function replay(block, t, inputs) {
    var d = dayOf(inputs.start);
    var servingFrom = d + block.lead_days;
    var shutdown = t.shutdown ? dayOf(t.shutdown) : null;
    var outputEnd = d + Math.max(block.horizon_days, TWELVE_MONTHS_DAYS) - 1;
    var end = outputEnd;
    if (shutdown !== null) {
      end = Math.min(Math.max(end, shutdown - 1), d + block.longest_service_days, shutdown - 1);
    }
    var result = {status: 'never', breakEven: null, low: null, high: null, netEnd: null, net12: null,
                  eos: shutdown !== null ? shutdown - 1 : null, days: [], reason: null};
    if (t.no_new_training_after && d > dayOf(t.no_new_training_after)) {
      result.reason = 'no new fine-tuning jobs after ' + t.no_new_training_after;
      return result;
    }
    if (shutdown !== null && (d >= shutdown || servingFrom >= shutdown)) {
      result.reason = 'it stops serving on ' + t.shutdown + ', before it would serve';
      return result;
    }
    var training = inputs.training;
    var plan = {
      target: t, trainingDay: d, servingFrom: servingFrom, lastDay: end, volume: inputs.volume,
      windowDays: t.window.map(dayOf),
      segments: t.segments.map(function (s) {
        return {start: dayOf(s.start), calls: s.calls, base: s.base_usd.map(num), tuned: s.tuned_usd.map(num)};
      }),
      removedDelta: (t.removed_tokens_per_call - inputs.removed) * num(t.input_mtok_usd) / 1e6,
      fixed: {training: training, retrain: training === num(t.training_usd) ? num(t.retrain_usd) : training / t.runs,
              retrainEvery: t.retrain_every_days, hosting: num(t.hosting_per_hour_usd), storage: num(t.storage_per_month_usd)}
    };
    var all = t.window.map(function (_, i) { return i; });
    var days = layOut(plan, all);
    var horizonLast = Math.min(end, d + block.horizon_days - 1);
    var central = breakEven(days, horizonLast);
    result.days = days.filter(function (x) { return x.day <= outputEnd; });
    if (result.eos !== null && days.length && days[days.length - 1].day >= result.eos) {
      result.netEnd = netBy(days, result.eos);
    }
    result.net12 = days.length ? netBy(days, d + TWELVE_MONTHS_DAYS - 1) : null;
    if (central !== null) {
      var short = Object.assign({}, plan, {lastDay: horizonLast});
      var weekly = [];
      for (var k = 0; k < t.week_days; k += 7) { weekly.push(breakEven(layOut(short, all.slice(k, k + 7)), horizonLast)); }
      var found = weekly.filter(function (w) { return w !== null; });
      result.status = 'pays_back';
      result.breakEven = central;
      result.low = found.length ? Math.min.apply(null, found) : null;
      result.high = found.length && found.length === weekly.length ? Math.max.apply(null, found) : null;
    } else if (result.eos !== null && result.eos <= horizonLast) {
      result.reason = 'it stops serving on ' + t.shutdown + ' before the fixed costs are recovered';
    } else {
      result.reason = 'the fixed costs are not recovered within ' + block.horizon_days + ' days';
    }
    return result;
  }

  function setText(box, name, text) {
    var el = box.querySelector('[data-output="' + name + '"]');
    if (el) { el.textContent = text; }
  }

  function draw(box, index, r) {
    var div = document.getElementById('chart-what-if-' + index);
    if (!div || !window.Plotly) { return; }
    var x = r.days.map(function (p) { return isoOf(p.day); });
    var y = r.days.map(function (p) { return Math.round(p.net * 100) / 100; });
    var traces = [{x: x, y: y, mode: 'lines', name: 'net: savings less fixed costs', line: {color: '#1f5fa8', width: 2},
                   hovertemplate: '%{x}: $%{y:,.2f}<extra></extra>'}];
    if (r.breakEven !== null) {
      traces.push({x: [isoOf(r.breakEven)], y: [0], mode: 'markers', name: 'pays back',
                   marker: {symbol: 'star', size: 14, color: '#2a9d8f'}});
    }
    var layout = {autosize: true, height: 300, margin: {l: 64, r: 16, t: 16, b: 40}, showlegend: true,
                  legend: {orientation: 'h', y: -0.2}, font: {size: 12},
                  yaxis: {title: {text: 'cumulative net (USD)'}, tickprefix: '$', tickformat: ',.2f', zeroline: true},
                  xaxis: {type: 'date'}, hovermode: 'closest', paper_bgcolor: 'white', plot_bgcolor: 'white'};
    window.Plotly.react(div, traces, layout, {displaylogo: false, responsive: true});
  }

  function update(box, block, index) {
    var target = block.targets[Number(box.querySelector('[data-input="target"]').value)];
    var inputs = {
      start: box.querySelector('[data-input="start"]').value || block.from_date,
      volume: num(box.querySelector('[data-input="volume"]').value),
      training: num(box.querySelector('[data-input="training"]').value),
      removed: num(box.querySelector('[data-input="removed"]').value)
    };
    var r = replay(block, target, inputs);
    var range = r.low !== null ? isoOf(r.low) + ' to ' + (r.high !== null ? isoOf(r.high) : 'later') : '—';
    setText(box, 'status', r.status === 'pays_back' ? 'pays back on ' + isoOf(r.breakEven) + ' (range ' + range + ')'
      : 'never: ' + r.reason);
    setText(box, 'break-even', r.breakEven !== null ? isoOf(r.breakEven) : '—');
    setText(box, 'range', range);
    setText(box, 'net-end', usd(r.netEnd));
    setText(box, 'net-12', usd(r.net12));
    box.setAttribute('data-status', r.status);
    draw(box, index, r);
  }

  function start() {
    var source = document.getElementById('what-if-data');
    if (!source) { return; }
    var blocks = JSON.parse(source.textContent);
    Array.prototype.forEach.call(document.querySelectorAll('.what-if[data-index]'), function (box) {
      var index = Number(box.getAttribute('data-index'));
      var block = blocks[String(index)];
      if (!block) { return; }
      var targetInput = box.querySelector('[data-input="target"]');
      targetInput.addEventListener('change', function () {
        var t = block.targets[Number(targetInput.value)];
        box.querySelector('[data-input="training"]').value = t.training_usd;
        box.querySelector('[data-input="removed"]').value = t.removed_tokens_per_call;
        update(box, block, index);
      });
      Array.prototype.forEach.call(box.querySelectorAll('input[data-input]'), function (input) {
        input.addEventListener('input', function () { update(box, block, index); });
      });
      update(box, block, index);
    });
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
}());
