/* What every widget page shares: its configuration and URL parameters, the calls to the API (with `caller`), a
   DOM builder that never parses strings as HTML, the white label (colour, host logo, return link), an accessible
   autocomplete, dialogs and French formatting. Each page's script registers itself in Widget.pages. */
(function () {
  'use strict';

  const W = (window.Widget = window.Widget || {});
  const configElement = document.getElementById('widget-config');
  W.config = configElement ? JSON.parse(configElement.textContent) : {};
  W.pages = W.pages || {};

  const params = new URLSearchParams(window.location.search);
  /** A URL parameter, trimmed; null when absent or blank. */
  W.param = function (name) {
    const value = params.get(name);
    if (value === null) return null;
    const trimmed = value.trim();
    return trimmed.length ? trimmed : null;
  };
  /** The host site's identifier, sent with every API call. */
  W.caller = function () {
    return W.param('caller') || W.config.defaultCaller || 'widget-alternance';
  };
  W.embedded = window.top !== window.self;

  /* ---------- DOM ---------- */

  /** h('p', {class: 'x', onclick: f, 'aria-label': 'y'}, 'text', child...): text children are text nodes. */
  W.h = function (tag, attrs) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const name of Object.keys(attrs)) {
        const value = attrs[name];
        if (value === null || value === undefined || value === false) continue;
        if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
        else if (name === 'class') el.className = value;
        else if (name === 'text') el.textContent = value;
        else if (name === 'value') el.value = value;
        else if (value === true) el.setAttribute(name, '');
        else el.setAttribute(name, String(value));
      }
    }
    for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  };

  function append(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      for (const c of child) append(parent, c);
    } else if (child instanceof Node) {
      parent.appendChild(child);
    } else {
      parent.appendChild(document.createTextNode(String(child)));
    }
  }
  W.append = append;

  W.clear = function (el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  };

  let uid = 0;
  W.id = function (prefix) {
    uid += 1;
    return (prefix || 'w') + '-' + uid;
  };

  /* ---------- API ---------- */

  class ApiError extends Error {
    constructor(status, body) {
      super(W.messageOf(body, status));
      this.status = status;
      this.body = body;
    }
  }
  W.ApiError = ApiError;

  function url(path, query) {
    const search = new URLSearchParams();
    if (query) {
      for (const key of Object.keys(query)) {
        const value = query[key];
        if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
      }
    }
    search.set('caller', W.caller());
    return path + '?' + search.toString();
  }
  W.url = url;

  async function read(response) {
    const text = await response.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch (e) {
      return { message: text };
    }
  }

  /** GET an API route with `caller`; answers the JSON, throws an ApiError with the API's message. */
  W.get = async function (path, query, options) {
    const response = await fetch(url(path, query), { headers: { Accept: 'application/json' }, signal: options && options.signal });
    const body = await read(response);
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  };

  /** POST JSON; answers {status, body, headers}; throws an ApiError on a 4xx/5xx. */
  W.post = async function (path, body, headers) {
    // The write routes read their own fields; `caller` in the URL says who sends, as on every other call.
    const response = await fetch(url(path), {
      method: 'POST',
      headers: Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json' }, headers || {}),
      body: JSON.stringify(body),
    });
    const answer = await read(response);
    if (!response.ok) throw new ApiError(response.status, answer);
    return { status: response.status, body: answer, headers: response.headers };
  };

  // The API's error codes, in words; messages that are already French sentences are shown as they are.
  const CODES = {
    missing_caller: "L'identifiant du site appelant (caller) est manquant.",
    TOO_MANY_APPLICATIONS_PER_DAY: "Vous avez atteint le nombre maximum de candidatures pour aujourd'hui.",
    TOO_MANY_APPLICATIONS_PER_OFFER: 'Vous avez déjà postulé plusieurs fois à cette offre.',
    error_sending_application: "Votre candidature n'a pas pu être envoyée. Veuillez réessayer plus tard.",
    missing_caller_parameter: 'Le paramètre caller est manquant.',
    missing_item_id_parameter: 'Le paramètre itemId est manquant.',
    missing_type_parameter: 'Le paramètre type est manquant.',
    not_found: 'Élément introuvable.',
  };

  /** The message of an API error body, whichever of the API's shapes it has. */
  W.messageOf = function (body, status) {
    if (status === 429) return 'Trop de demandes en peu de temps : veuillez réessayer dans quelques secondes.';
    if (!body) return status >= 500 ? 'Le service est momentanément indisponible.' : 'La demande a échoué (' + status + ').';
    if (Array.isArray(body.error_messages) && body.error_messages.length) return body.error_messages.join(' ');
    if (typeof body.message === 'string' && body.message) {
      // Body validation: "body.field: message, body.other: message".
      return body.message.replace(/(^|, )body\.[^:]*: /g, '$1');
    }
    if (typeof body.error === 'string') return CODES[body.error] || body.error;
    return 'La demande a échoué (' + status + ').';
  };

  /* The métier search of the form: kept in this one place, so that a free-text search route can replace it. */
  W.searchJobs = async function (text, signal) {
    const body = await W.get('/api/v1/metiers', { title: text }, { signal: signal });
    return (body.labelsAndRomes || []).map(function (m) {
      return { label: m.label, romes: m.romes || [] };
    });
  };

  W.searchPlaces = async function (text, signal) {
    const body = await W.get('/api/widget/communes', { q: text }, { signal: signal });
    return body.communes || [];
  };

  W.placeWhere = async function (query) {
    const body = await W.get('/api/widget/communes', query);
    return (body.communes || [])[0] || null;
  };

  /* ---------- White label ---------- */

  function channel(v) {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }
  function luminance(rgb) {
    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
  }
  function hex(rgb) {
    return '#' + rgb.map(function (c) { return Math.round(c).toString(16).padStart(2, '0'); }).join('');
  }

  /** The page's colour (`color`, hex) darkened until white text on it, and it as text on white, reach 4.5:1. */
  W.brandColour = function (value) {
    if (!value || !/^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value)) return null;
    let digits = value.replace('#', '');
    if (digits.length === 3) digits = digits.split('').map(function (c) { return c + c; }).join('');
    let rgb = [0, 2, 4].map(function (i) { return parseInt(digits.slice(i, i + 2), 16); });
    for (let i = 0; i < 40 && 1.05 / (luminance(rgb) + 0.05) < 4.5; i++) rgb = rgb.map(function (c) { return c * 0.9; });
    const hover = rgb.map(function (c) { return c * 0.8; });
    const soft = rgb.map(function (c) { return 255 - (255 - c) * 0.12; });
    return { primary: hex(rgb), hover: hex(hover), soft: hex(soft) };
  };

  W.applyWhiteLabel = function () {
    const colour = W.brandColour(W.param('color'));
    if (colour) {
      const style = document.documentElement.style;
      style.setProperty('--primary', colour.primary);
      style.setProperty('--primary-hover', colour.hover);
      style.setProperty('--primary-soft', colour.soft);
    }
    const logo = W.param('return_logo_url');
    const slot = document.getElementById('host-logo');
    if (logo && /^https?:\/\//i.test(logo) && slot) {
      // An address of the host site (absolute http(s), or a path): never a javascript: or data: URL.
      const asked = W.param('return_uri') || '/';
      const returnUri = /^(https?:\/\/|\/(?!\/))/i.test(asked) ? asked : '/';
      const image = W.h('img', { src: logo, alt: "Retour au site d'origine" });
      // Framed: the host page decides where to go (reference §5: postMessage goToPage).
      const button = W.embedded
        ? W.h('button', { type: 'button', onclick: function () { window.parent.postMessage({ type: 'goToPage', page: returnUri }, '*'); } }, image)
        : W.h('a', { href: returnUri }, image);
      slot.appendChild(button);
      const header = document.querySelector('.site-header');
      if (header) header.classList.add('has-host-logo');
    }
  };

  /* ---------- Formatting ---------- */

  const numberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
  W.km = function (distance) {
    return typeof distance === 'number' ? numberFormat.format(distance) + ' km' : null;
  };
  const dateFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
  W.date = function (iso) {
    if (!iso) return null;
    const d = new Date(iso);
    return isNaN(d.getTime()) ? null : dateFormat.format(d);
  };
  W.plural = function (n, one, many) {
    return n + ' ' + (n > 1 ? many : one);
  };

  /* ---------- Form fields ---------- */

  /** A labelled control with its hint and error slot: {id, label, hint, control: element}. */
  W.field = function (options) {
    const id = options.control.id || (options.control.id = W.id('f'));
    const hintId = options.hint ? id + '-hint' : null;
    const errorId = id + '-error';
    options.control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
    const error = W.h('p', { class: 'field-error', id: errorId, hidden: true });
    // The hint is outside the label: the control's name stays the label alone, the hint is its description.
    const label = W.h('label', { for: id }, options.label, options.required ? W.h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
    const hint = options.hint ? W.h('span', { class: 'hint', id: hintId }, options.hint) : null;
    const wrapper = W.h('div', { class: 'field' + (options.class ? ' ' + options.class : '') }, label, hint, options.control, error);
    wrapper.setError = function (message) {
      error.textContent = message || '';
      error.hidden = !message;
      wrapper.classList.toggle('field--error', !!message);
      if (message) options.control.setAttribute('aria-invalid', 'true');
      else options.control.removeAttribute('aria-invalid');
    };
    return wrapper;
  };

  W.input = function (attrs) {
    return W.h('input', Object.assign({ class: 'input', type: 'text' }, attrs));
  };

  W.select = function (attrs, options, selected) {
    const select = W.h('select', Object.assign({ class: 'input' }, attrs));
    for (const [value, label] of options) {
      const option = W.h('option', { value: value }, label);
      if (value === selected) option.selected = true;
      select.appendChild(option);
    }
    return select;
  };

  /** A notice: kind is '', 'error' or 'success'. */
  W.notice = function (kind, title, text) {
    return W.h('div', { class: 'notice' + (kind ? ' notice--' + kind : ''), role: kind === 'error' ? 'alert' : 'status' },
      title ? W.h('p', null, W.h('strong', null, title)) : null, text ? W.h('p', null, text) : null);
  };

  /* ---------- Forms ---------- */

  /**
   * A form from a list of fields ({name, label, type, required, hint, options, attrs, check(value) -> message}):
   * labelled controls, client-side checks before sending, the API's validation issues shown on their fields.
   * Types: text, email, tel, date, number, textarea, select, file, radios, checkboxes.
   */
  W.form = function (specs, submitLabel, onSubmit) {
    const form = W.h('form', { class: 'form', novalidate: true });
    const summary = W.h('div', { class: 'form__summary' });
    const fields = {};
    const controls = {};
    form.appendChild(summary);
    for (const spec of specs) {
      if (spec.element) {
        form.appendChild(spec.element);
        continue;
      }
      let wrapper;
      if (spec.type === 'radios' || spec.type === 'checkboxes') {
        const legendId = W.id('legend');
        const inputs = spec.options.map(function (o) {
          return W.h('input', { type: spec.type === 'radios' ? 'radio' : 'checkbox', name: spec.name, value: o[0], checked: spec.value === o[0] });
        });
        const error = W.h('p', { class: 'field-error', hidden: true, id: legendId + '-error' });
        wrapper = W.h('fieldset', { class: 'field', 'aria-describedby': legendId + '-error' },
          W.h('legend', { id: legendId }, spec.label, spec.required ? W.h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null,
            spec.hint ? W.h('span', { class: 'hint' }, ' ' + spec.hint) : null),
          W.h('div', { class: 'choices' }, inputs.map(function (input, i) {
            return W.h('label', { class: 'choice' }, input, spec.options[i][1]);
          })),
          error);
        wrapper.setError = function (message) {
          error.textContent = message || '';
          error.hidden = !message;
          wrapper.classList.toggle('field--error', !!message);
        };
        controls[spec.name] = {
          inputs: inputs,
          focus: function () { inputs[0].focus(); },
          get value() {
            const chosen = inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
            return spec.type === 'radios' ? chosen[0] || '' : chosen;
          },
        };
      } else {
        let control;
        const attrs = Object.assign({ name: spec.name, required: !!spec.required }, spec.attrs || {});
        if (spec.type === 'textarea') control = W.h('textarea', Object.assign({ class: 'input' }, attrs));
        else if (spec.type === 'select') control = W.select(attrs, spec.options, spec.value);
        else control = W.input(Object.assign({ type: spec.type || 'text' }, attrs));
        if (spec.value !== undefined && spec.type !== 'select' && spec.type !== 'file') control.value = spec.value;
        wrapper = W.field({ label: spec.label, hint: spec.hint, control: control, required: spec.required, class: spec.class });
        controls[spec.name] = control;
      }
      fields[spec.name] = wrapper;
      (spec.container || form).appendChild(wrapper);
    }
    const submit = W.h('button', { type: 'submit', class: 'btn' }, submitLabel);
    form.appendChild(W.h('div', { class: 'btn-group' }, submit));

    function value(spec) {
      const control = controls[spec.name];
      if (spec.type === 'file') return control.files && control.files[0] ? control.files[0] : null;
      if (spec.type === 'radios' || spec.type === 'checkboxes') return control.value;
      return control.value.trim();
    }
    const api = {
      form: form,
      fields: fields,
      controls: controls,
      submit: submit,
      values: function () {
        const out = {};
        for (const spec of specs) if (spec.name) out[spec.name] = value(spec);
        return out;
      },
      clearErrors: function () {
        for (const name of Object.keys(fields)) fields[name].setError(null);
        W.clear(summary);
      },
      /** Marks fields; answers whether any was marked. */
      showErrors: function (errors) {
        let first = null;
        for (const name of Object.keys(errors)) {
          if (!fields[name]) continue;
          fields[name].setError(errors[name]);
          if (!first) first = name;
        }
        if (first) {
          summary.appendChild(W.notice('error', 'Le formulaire contient des erreurs', 'Corrigez les champs signalés puis envoyez-le à nouveau.'));
          const control = controls[first];
          (control.focus ? control : control.inputs[0]).focus();
        }
        return !!first;
      },
      /** The API's answer to a failed send: its validation issues on their fields, else its message above the form. */
      showFailure: function (error) {
        const issues = error && error.body && error.body.data && error.body.data.validationError ? error.body.data.validationError.issues : null;
        const byField = {};
        if (issues) {
          for (const issue of issues) {
            const name = issue.path && issue.path[0];
            if (name && fields[name] && !byField[name]) byField[name] = W.fieldMessage(issue.message);
          }
        }
        if (!api.showErrors(byField)) {
          summary.appendChild(W.notice('error', "L'envoi n'a pas abouti", error && error.message ? error.message : 'Veuillez réessayer.'));
          summary.firstChild.setAttribute('tabindex', '-1');
          summary.firstChild.focus();
        }
      },
      summary: summary,
    };
    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      api.clearErrors();
      const values = api.values();
      const errors = {};
      for (const spec of specs) {
        if (!spec.name) continue;
        const v = values[spec.name];
        const empty = v === null || v === '' || (Array.isArray(v) && v.length === 0);
        if (spec.required && empty) errors[spec.name] = 'Ce champ est obligatoire.';
        else if (!empty && spec.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) errors[spec.name] = 'Adresse e-mail invalide (exemple : nom@domaine.fr).';
        else if (!empty && spec.check) {
          const message = spec.check(v, values);
          if (message) errors[spec.name] = message;
        }
      }
      if (api.showErrors(errors)) return;
      submit.disabled = true;
      const label = submit.textContent;
      submit.textContent = 'Envoi en cours…';
      try {
        await onSubmit(values, api);
      } catch (error) {
        api.showFailure(error);
      } finally {
        submit.disabled = false;
        submit.textContent = label;
      }
    });
    return api;
  };

  // Validation messages of the API (zod's, English) in French.
  const FIELD_MESSAGES = {
    'Invalid email': 'Adresse e-mail invalide.',
    Required: 'Ce champ est obligatoire.',
    'String attendu': 'Ce champ est obligatoire.',
    Invalid: 'Valeur invalide.',
  };
  W.fieldMessage = function (message) {
    return FIELD_MESSAGES[message] || message;
  };

  /** French phone numbers as the API accepts them (spaces, dots and dashes allowed). */
  W.checkPhone = function (value) {
    return /^(\+33|0033|0)[1-9][0-9]{8}$/.test(value.replace(/[\s.-]/g, '')) ? null : 'Numéro de téléphone invalide (exemple : 06 12 34 56 78).';
  };

  /* ---------- Autocomplete (WAI-ARIA 1.2 combobox with a listbox popup) ---------- */

  /**
   * Turns a text input into a combobox: `search(text, signal)` answers items, `describe(item)` answers
   * {label, detail}, `select(item)` is called on a choice (click, Enter). Typing after a choice clears it.
   */
  W.combobox = function (input, options) {
    const listId = W.id('list');
    const list = W.h('ul', { class: 'combo__list', id: listId, role: 'listbox', hidden: true });
    const wrapper = W.h('div', { class: 'combo' });
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listId);
    input.setAttribute('autocomplete', 'off');
    let items = [];
    let active = -1;
    let timer = 0;
    let controller = null;
    const minLength = options.minLength || 2;

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function highlight(index) {
      const nodes = list.children;
      for (let i = 0; i < nodes.length; i++) nodes[i].setAttribute('aria-selected', i === index ? 'true' : 'false');
      active = index;
      if (index >= 0 && nodes[index]) {
        input.setAttribute('aria-activedescendant', nodes[index].id);
        nodes[index].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }
    function choose(index) {
      const item = items[index];
      if (!item) return;
      input.value = options.describe(item).label;
      close();
      options.select(item);
    }
    function render() {
      W.clear(list);
      items.forEach(function (item, i) {
        const d = options.describe(item);
        const option = W.h('li', { class: 'combo__option', id: listId + '-' + i, role: 'option', 'aria-selected': 'false' },
          d.label, d.detail ? W.h('small', null, d.detail) : null);
        option.addEventListener('mousedown', function (e) { e.preventDefault(); });
        option.addEventListener('click', function () { choose(i); });
        list.appendChild(option);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
        highlight(-1);
      } else {
        close();
      }
    }
    async function lookup() {
      const text = input.value.trim();
      if (text.length < minLength) {
        items = [];
        render();
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        items = await options.search(text, controller.signal);
        if (document.activeElement === input) render();
      } catch (e) {
        if (e.name !== 'AbortError') {
          items = [];
          render();
        }
      }
    }
    input.addEventListener('input', function () {
      if (options.changed) options.changed();
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        if (list.hidden && items.length) render();
        highlight(Math.min(items.length - 1, active + 1));
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        highlight(Math.max(0, active - 1));
      } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
        e.preventDefault();
        choose(active);
      } else if (e.key === 'Escape' && !list.hidden) {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener('blur', function () { setTimeout(close, 100); });
    return {
      /** Chooses the first suggestion for the current text (a form submitted without picking one). */
      async first() {
        await lookup();
        return items[0] || null;
      },
    };
  };

  /* ---------- Dialogs ---------- */

  /** Opens a modal dialog (focus kept inside, Escape closes); answers {body, close}. */
  W.dialog = function (title, onClose) {
    const titleId = W.id('dialog-title');
    const body = W.h('div', { class: 'dialog__body' });
    const dialog = W.h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
      W.h('div', { class: 'dialog__head' }, W.h('h2', { id: titleId }, title),
        W.h('button', { type: 'button', class: 'btn btn--tertiary btn--sm', onclick: function () { dialog.close(); } }, 'Fermer')),
      body);
    document.body.appendChild(dialog);
    const opener = document.activeElement;
    dialog.addEventListener('close', function () {
      dialog.remove();
      if (opener && opener.focus) opener.focus();
      if (onClose) onClose();
    });
    dialog.showModal();
    return { body: body, close: function () { dialog.close(); }, element: dialog };
  };

  /* ---------- Start ---------- */

  function start() {
    W.applyWhiteLabel();
    const page = W.pages[W.config.page];
    if (page) page(document.getElementById('app'));
  }
  // After the whole bundle has run (the pages' scripts follow this one in it); a deferred bundle runs once the
  // document is parsed.
  queueMicrotask(start);
})();
