import { initAll } from '/assets/govuk/govuk-frontend.min.js'

initAll()

// The progress page: ask the server how the job is getting on, say so in the live
// region, and show the results when it has finished. Without JavaScript the page has
// a "Check again" button instead.
const status = document.querySelector('[data-job-status]')
if (status) {
  const url = status.getAttribute('data-job-status')
  const text = document.getElementById('progress-text')
  const bar = document.getElementById('progress-bar')
  const poll = async () => {
    try {
      const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' })
      const job = await response.json()
      if (job.state !== 'running') {
        window.location.reload()
        return
      }
      const counted = job.total ? `: ${job.done} of ${job.total}` : ''
      text.textContent = `${job.stage}${counted}`
      if (bar && job.total) {
        bar.value = job.done
        bar.max = job.total
      }
    } catch (error) {
      text.textContent = 'Still working. If nothing changes, use Check again.'
    }
    window.setTimeout(poll, 1000)
  }
  window.setTimeout(poll, 500)
}
