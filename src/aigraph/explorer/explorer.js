/* aigraph explorer page script. Data comes from the JSON block and is only ever written
   into the page with textContent / DOM properties, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {};
  data.edges.forEach(function (e) { edgeById[e.id] = e; });
  var big = data.nodes.length > 1500;
  var edgeLabels = data.edges.length <= 300;  // beyond that, labels hide the graph; the panel names the relation

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[\s\-'’·_]/g, "");
  }
  function labelOf(n, lang) { return (lang === "en" && n.en) || (lang === "py" && n.py) || n.zh; }

  var searchKeys = {};
  data.nodes.forEach(function (n) {
    searchKeys[n.id] = [n.zh, n.en, n.py].concat(n.aliases).filter(Boolean).map(fold);
  });

  var visibleTypes = {}, visibleRelations = {};
  data.legend.forEach(function (l) { visibleTypes[l.type] = true; });
  data.relations.forEach(function (r) { visibleRelations[r] = true; });

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return { id: n.id, label: n.zh, x: n.x, y: n.y, size: n.size, color: n.color, shape: n.shape, type: n.type };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, label: edgeLabels ? e.relation : undefined, relation: e.relation,
             arrows: e.arrows, width: e.width };
  }));
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visibleTypes[n.type]; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visibleRelations[e.relation]; } });

  var options = {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 42 },
    nodes: { font: { face: data.fontFace, size: 14 }, borderWidth: 1,
             scaling: { label: { drawThreshold: 6 } } },
    edges: { smooth: false, color: { color: "#9aa4b1", highlight: "#333" },
             font: { face: data.fontFace, size: 10, align: "middle" }, selectionWidth: 2 },
    interaction: { hover: !big, hideEdgesOnDrag: big, hideEdgesOnZoom: big, tooltipDelay: 200 }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  window.aigraphNetwork = network;
  network.once("afterDrawing", function () {
    window.aigraphFirstDraw = performance.now();
    document.body.setAttribute("data-ready", "1");
  });

  // --- filters ---------------------------------------------------------------------
  function checkbox(parent, value, text, colour, onChange) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = value;
    box.addEventListener("change", function () { onChange(box.checked); });
    label.appendChild(box);
    if (colour) { var sw = el("span", null, "swatch"); sw.style.backgroundColor = colour; label.appendChild(sw); }
    label.appendChild(document.createTextNode(text));
    parent.appendChild(label);
  }
  var typeBox = document.getElementById("type-filter");
  data.legend.forEach(function (l) {
    checkbox(typeBox, l.type, l.type, l.color, function (on) { visibleTypes[l.type] = on; nodeView.refresh(); });
  });
  var relBox = document.getElementById("relation-filter");
  data.relations.forEach(function (r) {
    checkbox(relBox, r, r, null, function (on) { visibleRelations[r] = on; edgeView.refresh(); });
  });

  // --- label language ----------------------------------------------------------------
  document.getElementById("label-lang").addEventListener("change", function (ev) {
    var lang = ev.target.value;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, label: labelOf(n, lang) }; }));
  });

  // --- search ----------------------------------------------------------------------
  var status = document.getElementById("search-status");
  var matchBox = document.getElementById("matches");
  function search(query) {
    clear(matchBox);
    var key = fold(query);
    if (!key) { status.textContent = ""; network.unselectAll(); return []; }
    var found = [];
    for (var i = 0; i < data.nodes.length; i++) {
      var n = data.nodes[i];
      if (searchKeys[n.id].some(function (k) { return k.indexOf(key) !== -1; })) found.push(n.id);
    }
    found.sort(function (a, b) {  // exact names first, then the larger nodes
      var ea = searchKeys[a].indexOf(key) !== -1, eb = searchKeys[b].indexOf(key) !== -1;
      return (eb - ea) || (byId[b].size - byId[a].size) || (a - b);
    });
    status.textContent = found.length + " 个匹配 matches";
    found.slice(0, 30).forEach(function (id) {
      var n = byId[id];
      var button = el("button", n.zh + (n.en ? " · " + n.en : "") + " (" + n.type + ")");
      button.addEventListener("click", function () { focusNode(id); });
      matchBox.appendChild(button);
    });
    var shown = found.filter(function (id) { return nodeView.get(id) !== null; });
    network.selectNodes(shown.slice(0, 200));
    if (shown.length) focusNode(shown[0]);
    return found;
  }
  window.aigraphSearch = search;
  var searchBox = document.getElementById("search");
  searchBox.addEventListener("input", function () { search(searchBox.value); });

  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showNode(id);
  }

  // --- side panel --------------------------------------------------------------------
  var details = document.getElementById("details");
  function row(table, key, value) {
    var tr = el("tr");
    tr.appendChild(el("th", key));
    tr.appendChild(el("td", value));
    table.appendChild(tr);
  }
  function evidenceList(parent, evidence, total) {
    if (!evidence.length) { parent.appendChild(el("p", "无证据 no evidence", "muted")); return; }
    evidence.forEach(function (ev) {
      parent.appendChild(el("div", ev.quote, "quote"));
      parent.appendChild(el("div", ev.file + (ev.headline ? " 《" + ev.headline + "》" : "") +
        (ev.confidence !== null && ev.confidence !== undefined ? " · " + ev.confidence : ""), "source"));
    });
    if (total && total > evidence.length) {
      parent.appendChild(el("p", "仅显示 " + evidence.length + " 条，共 " + total + " 条 · showing " +
        evidence.length + " of " + total + " (aigraph query evidence_between lists them all)", "muted"));
    }
  }
  function showNode(id) {
    var n = byId[id];
    if (!n) return;
    clear(details);
    details.appendChild(el("h2", n.zh));
    details.appendChild(el("div", n.type, "muted"));
    var names = el("table");
    if (n.en) row(names, "English", n.en);
    if (n.py) row(names, "拼音", n.py);
    if (n.aliases.length) row(names, "别名 aliases", n.aliases.join("、"));
    details.appendChild(names);
    details.appendChild(el("h3", "标识 Identifiers"));
    details.appendChild(el("div", n.iri, "source"));
    n.wikidata.forEach(function (q) {
      if (!/^Q[0-9]+$/.test(q)) return;
      var a = el("a", "Wikidata " + q);
      a.href = "https://www.wikidata.org/wiki/" + q;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      details.appendChild(a);
    });
    if (n.scores.length || n.community !== null) {
      details.appendChild(el("h3", "网络指标 Network metrics"));
      var sc = el("table");
      n.scores.forEach(function (s) { row(sc, s[0], Number(s[1]).toPrecision(3)); });
      if (n.community !== null) row(sc, "community", n.community);
      details.appendChild(sc);
    }
    if (n.observations.length) {
      details.appendChild(el("h3", "历年指标 Metrics over the years"));
      var obs = el("table");
      var head = el("tr");
      ["年份", "指标", "数值", "证据"].forEach(function (h) { head.appendChild(el("th", h)); });
      obs.appendChild(head);
      n.observations.forEach(function (o) {
        var tr = el("tr");
        tr.appendChild(el("td", o.year === null ? "—" : o.year));
        tr.appendChild(el("td", o.metric));
        tr.appendChild(el("td", (o.bound ? o.bound + " " : "") + o.value + " " + o.unit));
        var cell = el("td");
        evidenceList(cell, o.evidence, o.evidenceCount);
        tr.appendChild(cell);
        obs.appendChild(tr);
      });
      details.appendChild(obs);
    }
    var incident = network.getConnectedEdges(id).map(function (eid) { return edgeById[eid]; });
    if (incident.length) {
      details.appendChild(el("h3", "关系与证据 Relations and evidence"));
      incident.slice(0, 100).forEach(function (e) {
        details.appendChild(el("div", byId[e.from].zh + " —" + e.relation + "→ " + byId[e.to].zh));
        evidenceList(details, e.evidence.slice(0, 3));
      });
    }
    if (n.articles.length) {
      details.appendChild(el("h3", "提及文章 Mentioned in"));
      n.articles.forEach(function (a) { details.appendChild(el("div", a, "source")); });
    }
  }
  function showEdge(id) {
    var e = edgeById[id];
    if (!e) return;
    clear(details);
    details.appendChild(el("h2", e.relation));
    var t = el("table");
    row(t, "head", byId[e.from].zh);
    row(t, "tail", byId[e.to].zh);
    if (e.roles.length) row(t, "role", e.roles.join("、"));
    row(t, "evidence", e.evidenceCount || e.evidence.length);
    details.appendChild(t);
    details.appendChild(el("h3", "证据 Evidence"));
    evidenceList(details, e.evidence, e.evidenceCount);
  }
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });
  window.aigraphShowNode = showNode;
  window.aigraphShowEdge = showEdge;
})();
