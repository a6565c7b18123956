/* The results map: Leaflet over an offline base map served with the page (Natural Earth outlines of France and its
   neighbours, city names from the bundled communes: no tiles, no third-party request), the search centre, and one
   marker per listed item, clustered when dense. Clicking a marker (or Enter on it) selects its item; the list asks
   it to highlight a marker (or the cluster holding it). */
(function () {
  'use strict';

  const W = window.Widget;

  // A div icon that names itself (Leaflet makes keyboard markers role="button"; a button needs a name).
  const NamedIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      if (this.options.label) div.setAttribute('aria-label', this.options.label);
      if (this.options.key) div.dataset.key = this.options.key;
      return div;
    },
  });

  function decode(polygons, scale) {
    return polygons.map(function (rings) {
      return rings.map(function (ring) {
        const points = new Array(ring.length / 2);
        let x = 0, y = 0;
        for (let i = 0; i < ring.length; i += 2) {
          x += ring[i];
          y += ring[i + 1];
          points[i / 2] = [y / scale, x / scale];
        }
        return points;
      });
    });
  }

  /** Enter or Space on a button (the default is prevented: Space would scroll the page). */
  function activates(event) {
    if (!event || (event.key !== 'Enter' && event.key !== ' ')) return false;
    event.preventDefault();
    return true;
  }

  const KINDS = { formation: 'formation', offer: 'offre d’emploi', company: 'entreprise' };

  /**
   * options: basemap (URL), deferBase (draw it with the first items, or on showBase()), onSelect(key).
   * Answers {setItems(items, centre), highlight(key), reveal(key), resize(), showBase()}.
   * items: [{key, kind ('formation'|'offer'|'company'), title, lat, lon}].
   */
  W.ResultMap = function (container, options) {
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', 'Carte des résultats');
    // Users who ask for less motion get none (and so do the tests).
    const still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    const map = L.map(container, {
      zoomControl: false,
      zoomAnimation: !still,
      fadeAnimation: !still,
      markerZoomAnimation: !still,
      minZoom: 2,
      // Beyond, the offline base map has nothing more to show; items at one address spread out instead.
      maxZoom: 14,
      zoomSnap: 0.5,
      worldCopyJump: true,
      attributionControl: true,
    }).setView([46.6, 2.4], 5);
    L.control.zoom({ zoomInTitle: 'Zoomer', zoomOutTitle: 'Dézoomer' }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.attributionControl.addAttribution('Fond : Natural Earth, villes : INSEE');

    const renderer = L.canvas({ padding: 0.5 });
    const labels = L.layerGroup().addTo(map);
    // Fetched at once (the page preloads it), drawn once the first results are on the map: projecting its
    // thousands of points would otherwise delay them, and would be done again at the results' zoom.
    const base = fetch(options.basemap).then(function (r) { return r.json(); });
    let baseShown = false;
    function showBase() {
      if (baseShown) return;
      baseShown = true;
      base.then(function (data) {
        L.polygon(decode(data.land, data.scale), { renderer: renderer, interactive: false, stroke: false, fillColor: '#ecebe4', fillOpacity: 1 }).addTo(map).bringToBack();
        L.polygon(decode(data.france, data.scale), { renderer: renderer, interactive: false, color: '#7b7b7b', weight: 1, fillColor: '#ffffff', fillOpacity: 1 }).addTo(map);
        cities = data.cities;
        nameCities();
      }).catch(function () { /* the markers stay usable without the base map */ });
    }
    if (!options.deferBase) showBase();

    // City names: the most populated first, as many as the zoom allows (rank 1 always, 2 from zoom 7, 3 from 9, 4 from
    // 10.5), none over another, only those in view.
    let cities = [];
    function nameCities() {
      labels.clearLayers();
      const zoom = map.getZoom();
      const maxRank = zoom >= 10.5 ? 4 : zoom >= 9 ? 3 : zoom >= 7 ? 2 : 1;
      const view = map.getBounds().pad(0.05);
      const taken = [];
      for (const city of cities) {
        if (taken.length >= 80) break;
        if (city[3] > maxRank || !view.contains([city[1], city[2]])) continue;
        const p = map.latLngToContainerPoint([city[1], city[2]]);
        // A name is about 6.5 px a letter by 14 px, centred on its point.
        const half = city[0].length * 3.3 + 4;
        const box = [p.x - half, p.y - 9, p.x + half, p.y + 9];
        if (taken.some(function (b) { return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]; })) continue;
        taken.push(box);
        const label = document.createElement('span');
        label.textContent = city[0];
        L.marker([city[1], city[2]], {
          icon: L.divIcon({ className: 'city-label city-label--' + Math.min(city[3], 2), html: label, iconSize: null }),
          interactive: false,
          keyboard: false,
          zIndexOffset: -1000,
        }).addTo(labels);
      }
    }
    map.on('moveend', function () { if (cities.length) nameCities(); });

    const clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      animate: !still,
      maxClusterRadius: 40,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: function (cluster) {
        const n = cluster.getChildCount();
        const size = n < 10 ? 34 : n < 100 ? 40 : 46;
        return new NamedIcon({
          html: '<span>' + n + '</span>',
          className: 'cluster',
          iconSize: [size, size],
          label: n + ' résultats ici : zoomer',
        });
      },
    });
    map.addLayer(clusters);
    // A cluster opens with the keyboard as it does with a click: zoomed into, or spread out at the last zoom.
    clusters.on('clusterkeydown', function (e) {
      if (!activates(e.originalEvent)) return;
      if (map.getZoom() >= map.getMaxZoom()) e.layer.spiderfy();
      else e.layer.zoomToBounds({ padding: [24, 24] });
    });
    let centre = null;
    const markers = new Map();
    let active = null;
    let activeKey = null;
    let lastBounds = null;
    let needsFit = false;

    function markerElement(marker) {
      const visible = clusters.getVisibleParent(marker);
      return visible ? visible.getElement() : null;
    }

    const api = {
      map: map,
      setItems: function (items, point) {
        clusters.clearLayers();
        markers.clear();
        active = null;
        activeKey = null;
        if (centre) map.removeLayer(centre);
        centre = null;
        const bounds = [];
        const layers = [];
        for (const item of items) {
          if (typeof item.lat !== 'number' || typeof item.lon !== 'number') continue;
          const marker = L.marker([item.lat, item.lon], {
            icon: new NamedIcon({
              className: 'marker marker--' + item.kind,
              html: '<span class="pin pin--' + item.kind + '"></span>',
              iconSize: [22, 22],
              iconAnchor: [11, 24],
              label: item.title + ' (' + KINDS[item.kind] + ')',
              key: item.key,
            }),
            keyboard: true,
            riseOnHover: true,
          });
          marker.on('click', function () { options.onSelect(item.key); });
          // Leaflet makes keyboard markers buttons but gives Enter to popups only.
          marker.on('keydown', function (e) {
            if (activates(e.originalEvent)) options.onSelect(item.key);
          });
          markers.set(item.key, marker);
          layers.push(marker);
          bounds.push([item.lat, item.lon]);
        }
        clusters.addLayers(layers);
        if (point) {
          centre = L.circleMarker([point.lat, point.lon], { radius: 6, color: '#161616', weight: 2, fillColor: '#ffffff', fillOpacity: 1, interactive: false }).addTo(map);
          if (point.label) centre.bindTooltip(point.label, { permanent: true, direction: 'right', offset: [8, 0], className: 'centre-label' });
          bounds.push([point.lat, point.lon]);
        }
        lastBounds = bounds.length ? bounds : null;
        // A hidden map (a phone showing the list) has no size to fit to: it fits when it shows.
        needsFit = container.clientWidth === 0;
        if (lastBounds && !needsFit) map.fitBounds(lastBounds, { padding: [24, 24], maxZoom: 12, animate: false });
        setTimeout(showBase, 0);
      },
      showBase: showBase,
      /** Names the search centre (its commune, once known). */
      nameCentre: function (label) {
        if (!centre) return;
        if (centre.getTooltip()) centre.setTooltipContent(label);
        else centre.bindTooltip(label, { permanent: true, direction: 'right', offset: [8, 0], className: 'centre-label' });
      },
      /** Marks the marker of an item, or the cluster that holds it; null clears. */
      highlight: function (key) {
        if (active) active.classList.remove('is-active');
        active = null;
        activeKey = key || null;
        const marker = key ? markers.get(key) : null;
        if (!marker) return;
        const element = markerElement(marker);
        if (element) {
          element.classList.add('is-active');
          active = element;
        }
      },
      /** Brings the item's marker (or its cluster) into view and marks it; the zoom stays the user's. */
      reveal: function (key) {
        const marker = markers.get(key);
        if (!marker) return;
        const shown = clusters.getVisibleParent(marker) || marker;
        if (!map.getBounds().contains(shown.getLatLng())) map.panTo(shown.getLatLng(), { animate: !still });
        api.highlight(key);
      },
      resize: function () {
        map.invalidateSize({ animate: false });
        if (needsFit && lastBounds) map.fitBounds(lastBounds, { padding: [24, 24], maxZoom: 12, animate: false });
        needsFit = false;
      },
      count: function () { return markers.size; },
    };
    // Clusters are rebuilt as the zoom changes: mark again what holds the highlighted item.
    clusters.on('animationend', function () { api.highlight(activeKey); });
    map.on('moveend', function () { api.highlight(activeKey); });
    return api;
  };
})();
