// Card payment for a claim: Stripe.js tokenises the card, the portal confirms the PaymentIntent server-side,
// 3-D Secure is finished by Stripe.js, and the claim page shows the result once the signed webhook arrived.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || typeof window.Stripe !== "function") { return; }
  var claimId = form.dataset.claim;
  var status = document.getElementById("card-status");
  var button = form.querySelector("button[type=submit]");
  // The words come from the page (data-say-*), translated with it: the script has none of its own.
  var words = {
    paying: form.dataset.sayPaying,
    cardInvalid: form.dataset.sayCardInvalid,
    authenticationFailed: form.dataset.sayAuthenticationFailed,
    accepted: form.dataset.sayAccepted,
    error: form.dataset.sayError
  };
  var stripe = window.Stripe(form.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  form.hidden = false;

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // What the person reads is either Rebond's answer (in their language) or the page's words: a dropped line
  // (« Failed to fetch »), a gateway's HTML error page (« Unexpected token '<' ») are the browser's words, never
  // shown. A Told error carries words meant for the person; any other error reads as `words.error`.
  function Told(message) { this.message = message; }

  function post(path, body) {
    return fetch("/api/v1/claims/" + claimId + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Told(data.detail || words.error); }
        return data;
      });
    });
  }

  function say(text) { status.textContent = text; }

  function waitForConfirmation(tries) {
    fetch("/api/v1/claims/" + claimId, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (claim) {
        if (claim.status === "confirmed" || tries <= 0) {
          window.location.assign(form.dataset.return);
        } else {
          window.setTimeout(function () { waitForConfirmation(tries - 1); }, 1000);
        }
      })
      // The card is paid: a lost check must not leave the person on « Confirmation… »; the claim's page says.
      .catch(function () { window.location.assign(form.dataset.return); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    say(words.paying);
    var paymentId;
    post("/pay").then(function (intent) {
      paymentId = intent.payment_id;
      return stripe.createToken(card);
    }).then(function (result) {
      if (result.error) { throw new Told(result.error.message || words.cardInvalid); }
      return post("/pay/card", { payment_id: paymentId, card_id: result.token.card.id, token_id: result.token.id });
    }).then(function (outcome) {
      if (outcome.status === "requires_action") {
        return stripe.confirmCardPayment(outcome.client_secret).then(function (result) {
          if (result.error || !result.paymentIntent || result.paymentIntent.status !== "succeeded") {
            throw new Told(words.authenticationFailed);
          }
          return { status: "succeeded" };
        });
      }
      return outcome;
    }).then(function (outcome) {
      if (outcome.status === "failed") { throw new Told(outcome.message || words.error); }
      say(words.accepted);
      waitForConfirmation(20);
    }).catch(function (error) {
      say(error instanceof Told && error.message ? error.message : words.error);
      button.disabled = false;
    });
  });
}());
