/* Charts and maps beside the tables of figures (core/figure.html, docs/decisions/0049).
 *
 * Each `.figure-chart` element holds the URLs of what it needs (data attributes, static
 * files of this server) and a JSON script element with the Table's figures
 * (`{% chart_data %}`). Apache ECharts (and, for a map, topojson-client and the map
 * shapes) is loaded only when a page has a chart. Nothing inline: the Content Security
 * Policy holds (docs/decisions/0037): ECharts draws on a canvas, its tooltip is drawn there
 * too (renderMode "richText", no HTML with style attributes), the SVG download is rendered
 * to a string (ECharts' server-side mode) and saved through a blob URL.
 */
(function () {
  "use strict";

  var loaded = {};
  function loadScript(url) {
    if (!loaded[url]) {
      loaded[url] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("cannot load " + url)); };
        document.head.appendChild(script);
      });
    }
    return loaded[url];
  }

  var fetched = {};
  function fetchJSON(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(url + ": " + response.status); }
        return response.json();
      });
    }
    return fetched[url];
  }

  // Numbers as the tables write them: Western digits, a decimal comma, and a (thin) space
  // between thousands, which cannot be read as a decimal point ("478 000", never "478.000").
  var LOCALES = { ar: "fr-FR", fr: "fr-FR", zgh: "fr-FR", en: "en-GB" };
  function formatter(language) {
    var locale = LOCALES[language] || language;
    var format;
    try { format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }); }
    catch (error) { format = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }); }
    return function (value) {
      return value === null || value === undefined || value === "-" || isNaN(value) ? "—" : format.format(value);
    };
  }

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function palette() {
    return [cssVar("--accent", "#0b6b53"), cssVar("--warm", "#b4462b"), "#3a5a9b", "#c99a2e", "#6b4f8a", "#5c564b"];
  }

  function fontFamily(element) {
    return getComputedStyle(element).fontFamily || "sans-serif";
  }

  function shorten(text, length) {
    return text.length > length ? text.slice(0, length - 1) + "…" : text;
  }

  function commonOption(data, element, width) {
    return {
      animation: false,
      color: palette(),
      textStyle: { fontFamily: fontFamily(element), color: cssVar("--ink", "#1d1b16") },
      aria: { enabled: false }, // the table under the chart is what assistive technologies read
      tooltip: { renderMode: "richText", confine: true },
      legend: data.series.length > 1 && data.chart !== "map"
        ? { bottom: 0, type: width < 480 ? "scroll" : "plain", data: data.series.map(function (s) { return s.label; }) }
        : { show: false }
    };
  }

  function barOption(data, element, width) {
    // Horizontal bars: long names of provinces stay readable on a 360-px phone.
    var format = formatter(data.language);
    var narrow = width < 480;
    var option = commonOption(data, element, width);
    option.grid = { left: 12, right: 20, top: 8, bottom: data.series.length > 1 ? 36 : 8, containLabel: true };
    option.xAxis = { type: "value", inverse: data.rtl, axisLabel: { formatter: format, hideOverlap: true } };
    option.yAxis = {
      type: "category",
      inverse: true, // the first row on top, as in the table
      position: data.rtl ? "right" : "left",
      data: data.categories,
      axisLabel: { width: narrow ? 110 : 220, overflow: "truncate", interval: 0 }
    };
    option.tooltip.trigger = "axis";
    option.tooltip.valueFormatter = format;
    option.series = data.series.map(function (serie) {
      return {
        type: "bar",
        name: serie.label,
        data: serie.values,
        label: { show: data.series.length === 1, position: data.rtl ? "left" : "right", formatter: function (p) { return format(p.value); } }
      };
    });
    return option;
  }

  function lineOption(data, element, width) {
    var format = formatter(data.language);
    var option = commonOption(data, element, width);
    option.grid = { left: 12, right: 20, top: 16, bottom: data.series.length > 1 ? 36 : 8, containLabel: true };
    // Time runs with the reading direction: right to left on an Arabic page.
    option.xAxis = { type: "category", inverse: data.rtl, data: data.categories, axisLabel: { hideOverlap: true } };
    option.yAxis = { type: "value", position: data.rtl ? "right" : "left", axisLabel: { formatter: format } };
    option.tooltip.trigger = "axis";
    option.tooltip.valueFormatter = format;
    option.series = data.series.map(function (serie) {
      return { type: "line", name: serie.label, data: serie.values, connectNulls: false, symbolSize: 6 };
    });
    return option;
  }

  // Up to five classes holding about as many units each (quantiles), so that a few large
  // units (Casablanca) do not paint every other one the same pale colour.
  var CLASS_COLOURS = ["#e3f1ec", "#b0d8c9", "#79bba3", "#3a9074", "#0b6b53"];
  function classes(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    if (!sorted.length) { return []; }
    var count = Math.min(5, sorted.length);
    var edges = [sorted[0]];
    for (var i = 1; i < count; i++) {
      var edge = sorted[Math.floor(i * sorted.length / count)];
      if (edge > edges[edges.length - 1]) { edges.push(edge); }
    }
    var top = sorted[sorted.length - 1];
    var pieces = [];
    edges.forEach(function (low, index) {
      var last = index === edges.length - 1;
      var piece = last ? { gte: low, lte: top } : { gte: low, lt: edges[index + 1] };
      piece.high = last ? top : edges[index + 1];
      pieces.push(piece);
    });
    var offset = CLASS_COLOURS.length - pieces.length;
    pieces.forEach(function (piece, index) { piece.color = CLASS_COLOURS[offset + index]; });
    return pieces;
  }

  function legendHeight(data) {
    var values = data.series[0].values.filter(function (value) { return value !== null; });
    return classes(values).length * 18;
  }

  function mapOption(data, element, width, mapName) {
    var format = formatter(data.language);
    var first = data.series[0];
    var values = first.values.filter(function (value) { return value !== null; });
    var pieces = classes(values);
    var option = commonOption(data, element, width);
    option.tooltip.trigger = "item";
    option.tooltip.formatter = function (params) {
      var index = data.categories.indexOf(params.name);
      if (index < 0) { return ""; }
      var lines = [data.names[index] || params.name];
      data.series.forEach(function (serie) { lines.push(serie.label + " : " + format(serie.values[index])); });
      return lines.join("\n");
    };
    option.visualMap = {
      type: "piecewise",
      show: pieces.length > 0,
      pieces: pieces.map(function (piece) {
        var label = piece.gte === piece.high ? format(piece.gte) : format(piece.gte) + " – " + format(piece.high);
        var shown = { gte: piece.gte, color: piece.color, label: label };
        if (piece.lt !== undefined) { shown.lt = piece.lt; } else { shown.lte = piece.lte; }
        return shown;
      }).reverse(), // the largest on top
      orient: "vertical",
      left: data.rtl ? undefined : 8,
      right: data.rtl ? 8 : undefined,
      align: data.rtl ? "right" : "left",
      bottom: 22,
      itemWidth: 14,
      itemHeight: 10,
      itemGap: 6,
      selectedMode: false,
      outOfRange: { color: "#dddddd" },
      textStyle: { fontFamily: fontFamily(element), fontSize: 11 }
    };
    option.graphic = [{
      type: "text",
      right: data.rtl ? undefined : 4,
      left: data.rtl ? 4 : undefined,
      bottom: 4,
      // The left-to-right mark keeps "©" before the name on a right-to-left canvas.
      style: { text: "\u200e© OpenStreetMap contributors", fontSize: 10, fill: cssVar("--muted", "#5c564b"), fontFamily: "sans-serif" }
    }];
    option.series = [{
      type: "map",
      map: mapName,
      name: first.label,
      aspectScale: 0.87, // a degree of longitude is shorter than one of latitude at 30° N
      top: 8,
      bottom: 30 + legendHeight(data),
      left: 8,
      right: 8,
      roam: false,
      selectedMode: false,
      showLegendSymbol: false,
      itemStyle: { borderColor: "#ffffff", borderWidth: 0.6, areaColor: "#dddddd" },
      emphasis: { label: { show: false }, itemStyle: { areaColor: cssVar("--warm", "#b4462b") } },
      data: data.categories.map(function (code, index) { return { name: code, value: first.values[index] === null ? "-" : first.values[index] }; })
    }];
    return option;
  }

  // The map shapes of the units the table lists, named by their HCP code.
  function registerShapes(data, element) {
    var mapName = "hirfa-" + data.key;
    return Promise.all([
      loadScript(element.dataset.topojson),
      fetchJSON(element.dataset.shapes),
      fetchJSON(element.dataset.crosswalk)
    ]).then(function (results) {
      var topology = results[1];
      var level = results[2][data.map_level];
      var shapeToCode = {};
      Object.keys(level.shapes).forEach(function (code) { shapeToCode[level.shapes[code]] = code; });
      var wanted = {};
      data.categories.forEach(function (code) { wanted[code] = true; });
      var collection = window.topojson.feature(topology, topology.objects[level.object]);
      var features = collection.features.filter(function (feature) {
        return wanted[shapeToCode[feature.id]];
      }).map(function (feature) {
        return { type: "Feature", id: feature.id, geometry: feature.geometry, properties: { name: shapeToCode[feature.id] } };
      });
      window.echarts.registerMap(mapName, { type: "FeatureCollection", features: features });
      return mapName;
    });
  }

  function chartHeight(data, width) {
    if (data.chart === "bar") {
      return Math.max(160, data.categories.length * (16 + 12 * data.series.length) + (data.series.length > 1 ? 60 : 30));
    }
    if (data.chart === "map") { return Math.round(Math.min(Math.max(width, 280), 560)) + legendHeight(data); }
    return width < 480 ? 260 : 340;
  }

  function download(href, name) {
    var link = document.createElement("a");
    link.href = href;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function draw(element) {
    if (element.dataset.drawn) { return; }
    element.dataset.drawn = "pending";
    var data = JSON.parse(element.querySelector("script[type='application/json']").textContent);
    var canvas = element.querySelector(".figure-canvas");
    // The canvas draws text with the page's fonts only once they are loaded.
    var fontsReady = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
    Promise.all([loadScript(element.dataset.echarts), fontsReady]).then(function () {
      return data.chart === "map" ? registerShapes(data, element) : null;
    }).then(function (mapName) {
      function build(width) {
        if (data.chart === "map") { return mapOption(data, element, width, mapName); }
        return data.chart === "line" ? lineOption(data, element, width) : barOption(data, element, width);
      }
      var width = canvas.clientWidth || 320;
      canvas.style.height = chartHeight(data, width) + "px"; // CSSOM, which the policy allows
      var chart = window.echarts.init(canvas, null, { renderer: "canvas" });
      chart.setOption(build(width));
      element.dataset.drawn = "yes";
      if (window.ResizeObserver) {
        var lastWidth = width;
        new ResizeObserver(function () {
          var now = canvas.clientWidth;
          if (!now || Math.abs(now - lastWidth) < 2) { return; }
          lastWidth = now;
          canvas.style.height = chartHeight(data, now) + "px";
          chart.setOption(build(now), true);
          chart.resize();
        }).observe(canvas);
      }
      var downloads = element.querySelector(".figure-downloads");
      if (downloads) {
        downloads.hidden = false;
        downloads.addEventListener("click", function (event) {
          var button = event.target.closest("button[data-download]");
          if (!button) { return; }
          if (button.dataset.download === "png") {
            download(chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" }), data.key + ".png");
          } else {
            var w = canvas.clientWidth, h = canvas.clientHeight;
            var svgChart = window.echarts.init(null, null, { renderer: "svg", ssr: true, width: w, height: h });
            var option = build(w);
            option.backgroundColor = "#ffffff";
            svgChart.setOption(option);
            var svg = svgChart.renderToSVGString();
            svgChart.dispose();
            var url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
            download(url, data.key + ".svg");
            setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
          }
        });
      }
    }).catch(function (error) {
      element.dataset.drawn = "failed"; // the table is still there
      if (window.console) { window.console.warn("figure", data.key, error); }
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll(".figure-chart[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  } else {
    drawAll();
  }
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
