import {
  Accordion,
  Button,
  CharacterCount,
  ErrorSummary,
  NotificationBanner,
  ServiceNavigation,
  SkipLink,
  createAll,
} from '/assets/govuk-frontend.min.js'

// Every component except Radios and Checkboxes: their conditional reveal puts aria-expanded on the
// inputs, which ARIA does not allow on radios, so our own reveal below does the same job without it.
for (const Component of [
  Accordion,
  Button,
  CharacterCount,
  ErrorSummary,
  NotificationBanner,
  ServiceNavigation,
  SkipLink,
])
  createAll(Component)

/** Shows the questions under a chosen answer and hides the others. Without JavaScript all are shown. */
function conditionalReveal() {
  const inputs = document.querySelectorAll(
    '.govuk-radios__input[data-aria-controls], .govuk-checkboxes__input[data-aria-controls]',
  )
  const update = () => {
    for (const input of inputs) {
      const target = document.getElementById(input.dataset.ariaControls)
      if (target)
        target.classList.toggle(
          target.className.includes('govuk-radios')
            ? 'govuk-radios__conditional--hidden'
            : 'govuk-checkboxes__conditional--hidden',
          !input.checked,
        )
    }
  }
  for (const input of inputs) {
    input.setAttribute('aria-controls', input.dataset.ariaControls)
    input.addEventListener('change', update)
  }
  update()
}
conditionalReveal()
