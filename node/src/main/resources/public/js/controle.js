// The check as the person types (docs/werkplek.md, "Signalen"). On a form with data-controle, when a field inside a
// [data-veld] wrapper changes (a text field when the person leaves it, a radio button when it is chosen), the whole
// form is posted to data-controle?veld=<that field>. The server answers that field as the page renders it, with the
// error the form would show for it now, and the field takes on the answer: its error message (or none), the classes,
// aria-invalid and aria-describedby. What the person typed or chose is left as it is, as it may have changed since the
// question was sent; an older answer than the last one asked is dropped. A line of the error summary whose field no
// longer has an error is taken out. The message is also put in the form's live region (aria-live polite), so a screen
// reader reads it out. Without this script every check is made when the form is sent.
(function () {
  'use strict';
  var CONTROLS = ['INPUT', 'TEXTAREA', 'SELECT'];
  var asked = {};

  // Whether live element a and fresh element b are the same part of the field.
  function same(a, b) {
    if (a.tagName !== b.tagName || (a.id || '') !== (b.id || '')) {
      return false;
    }
    return a.id !== '' || (a.classList[0] || '') === (b.classList[0] || '');
  }

  // Makes live look like fresh, leaving the controls' values and checked state (and focus) alone.
  function sync(live, fresh) {
    var i;
    for (i = live.attributes.length - 1; i >= 0; i--) {
      var name = live.attributes[i].name;
      if (name !== 'value' && name !== 'checked' && !fresh.hasAttribute(name)) {
        live.removeAttribute(name);
      }
    }
    for (i = 0; i < fresh.attributes.length; i++) {
      var a = fresh.attributes[i];
      if (a.name !== 'value' && a.name !== 'checked' && live.getAttribute(a.name) !== a.value) {
        live.setAttribute(a.name, a.value);
      }
    }
    if (CONTROLS.indexOf(live.tagName) >= 0) {
      return;
    }
    if (!fresh.firstElementChild) {
      if (live.textContent !== fresh.textContent) {
        live.textContent = fresh.textContent;
      }
      return;
    }
    var l = live.firstElementChild;
    var f = fresh.firstElementChild;
    while (f) {
      if (l && same(l, f)) {
        sync(l, f);
        l = l.nextElementSibling;
      } else if (l && l.id && !fresh.querySelector('#' + CSS.escape(l.id))) {
        var gone = l;
        l = l.nextElementSibling;
        gone.remove();
        continue;
      } else {
        live.insertBefore(document.importNode(f, true), l);
      }
      f = f.nextElementSibling;
    }
    while (l) {
      var rest = l;
      l = l.nextElementSibling;
      rest.remove();
    }
  }

  // Takes the error summary's line for veld out once that field has no error.
  function summary(veld) {
    var box = document.querySelector('[data-foutsamenvatting]');
    if (!box || document.getElementById(veld + '-fout')) {
      return;
    }
    box.querySelectorAll('a[href="#' + veld + '"]').forEach(function (link) {
      link.closest('li').remove();
    });
    if (!box.querySelector('li')) {
      box.remove();
    }
  }

  // Repeats the field's message (or nothing, once it is right) in the form's live region, to be read out.
  function announce(form, veld) {
    var live = form.querySelector('[data-controle-melding]');
    var error = document.getElementById(veld + '-fout');
    if (live) {
      live.textContent = error ? error.textContent.trim() : '';
    }
  }

  document.addEventListener('change', function (event) {
    var control = event.target;
    var form = control.form;
    if (!form || !form.hasAttribute('data-controle')) {
      return;
    }
    var wrapper = control.closest('[data-veld]');
    if (!wrapper || !form.contains(wrapper) || !wrapper.firstElementChild) {
      return;
    }
    var veld = wrapper.getAttribute('data-veld');
    var question = (asked[veld] || 0) + 1;
    asked[veld] = question;
    fetch(form.getAttribute('data-controle') + '?veld=' + encodeURIComponent(veld), {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
      redirect: 'manual'
    }).then(function (response) {
      var type = response.headers.get('Content-Type') || '';
      return response.status === 200 && type.indexOf('text/html') === 0 ? response.text() : null;
    }).then(function (html) {
      if (html === null || asked[veld] !== question) {
        return;
      }
      var template = document.createElement('template');
      template.innerHTML = html.trim();
      var fresh = template.content.firstElementChild;
      if (fresh && fresh.className.indexOf('utrecht-form-field') === 0) {
        sync(wrapper.firstElementChild, fresh);
        summary(veld);
        announce(form, veld);
      }
    }).catch(function () {
      // No answer: the form is checked when it is sent.
    });
  });
}());
