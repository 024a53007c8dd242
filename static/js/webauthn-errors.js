// allauth's WebAuthn script reports a failed ceremony (cancelled, timed out, an unknown key) as an
// "allauth.error" event and otherwise only logs it; show the person what happened.
document.addEventListener('allauth.error', function (event) {
  const box = document.getElementById('webauthn-error')
  if (!box) return
  event.preventDefault()
  box.classList.remove('govuk-!-display-none')
  box.focus()
})
