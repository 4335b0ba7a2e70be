// Passkeys (WebAuthn) for IdentityHub's forms: the only script on the hub's pages. A form with data-webauthn="create"
// or "get" gets its options from the server (POST to ?handler=PasskeyOptions, with the form's antiforgery token),
// calls the browser, and posts the answer (PublicKeyCredential.toJSON()) back in hidden fields. A form with
// data-webauthn-conditional also offers the user's passkeys in the username field's autofill (conditional mediation).
"use strict";
(function () {
  if (window.identityHubWebAuthn) { return; }
  window.identityHubWebAuthn = true;
  async function options(form) {
    const body = new FormData(form);
    const response = await fetch(form.dataset.optionsUrl, { method: "POST", body: body, credentials: "same-origin" });
    if (!response.ok) { throw new Error("options " + response.status); }
    return response.json();
  }

  function finish(form, challengeId, credential) {
    form.querySelector("input[name=ChallengeId]").value = challengeId;
    form.querySelector("input[name=Credential]").value = JSON.stringify(credential.toJSON());
    form.submit();
  }

  function fail(form, error) {
    if (error && error.name === "AbortError") { return; }
    const message = form.querySelector(".webauthn-error");
    if (message) { message.hidden = false; message.focus(); }
  }

  async function run(form, mediation, signal) {
    const o = await options(form);
    if (form.dataset.webauthn === "create") {
      const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(o.options);
      finish(form, o.challengeId, await navigator.credentials.create({ publicKey: publicKey }));
    } else {
      const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(o.options);
      const request = { publicKey: publicKey };
      if (mediation) { request.mediation = mediation; request.signal = signal; }
      const credential = await navigator.credentials.get(request);
      if (credential) { finish(form, o.challengeId, credential); }
    }
  }

  function supported() {
    return window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON;
  }

  document.querySelectorAll("form[data-webauthn]").forEach(function (form) {
    if (!supported()) {
      const unsupported = form.querySelector(".webauthn-unsupported");
      if (unsupported) { unsupported.hidden = false; }
      return;
    }
    let conditional = null;
    form.querySelector("[data-webauthn-start]").addEventListener("click", function (event) {
      event.preventDefault();
      if (conditional) { conditional.abort(); }
      run(form, null, null).catch(function (error) { fail(form, error); });
    });
    if (form.dataset.webauthnConditional === "true" && PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
        if (!available) { return; }
        conditional = new AbortController();
        form.dataset.conditional = "pending";
        // Autofill is offered, not asked for: when it ends without a passkey (none saved, or another sign-in chosen),
        // the page says nothing.
        run(form, "conditional", conditional.signal).catch(function () { });
      });
    }
  });
})();
