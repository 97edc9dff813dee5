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

  function post(path, body) {
    return fetch("/api/v1/claims/" + claimId + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.detail || words.error); }
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
      });
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
      if (result.error) { throw new Error(result.error.message || words.cardInvalid); }
      return post("/pay/card", { payment_id: paymentId, card_id: result.token.card.id, token_id: result.token.id });
    }).then(function (outcome) {
      if (outcome.status === "requires_action") {
        return stripe.confirmCardPayment(outcome.client_secret).then(function (result) {
          if (result.error || !result.paymentIntent || result.paymentIntent.status !== "succeeded") {
            throw new Error(words.authenticationFailed);
          }
          return { status: "succeeded" };
        });
      }
      return outcome;
    }).then(function (outcome) {
      if (outcome.status === "failed") { throw new Error(outcome.message || words.error); }
      say(words.accepted);
      waitForConfirmation(20);
    }).catch(function (error) {
      say(error.message || words.error);
      button.disabled = false;
    });
  });
}());
