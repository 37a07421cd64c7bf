/**
 * The player's side of an embedded simulator (docs/simulators.md): accepts only the messages of
 * its own sandboxed iframe (acceptSimulatorMessage), resizes the frame, and with autoReply fills
 * the challenge's hidden answer field from the simulator's answer.
 */
import { acceptSimulatorMessage } from './simulator-bridge.js';

const form = document.getElementById('answer-form');
const iframe = form && form.querySelector('iframe.simulator');
if (form && iframe) {
  const expected = {
    simulator: form.getAttribute('data-simulator') || undefined,
    challenge: form.querySelector('.challenge')?.getAttribute('data-challenge') || undefined,
  };
  const autoReply = iframe.getAttribute('data-auto-reply') === 'true';
  const status = document.getElementById('simulator-status');
  window.addEventListener('message', (event) => {
    const message = acceptSimulatorMessage(event, iframe.contentWindow, expected);
    if (!message) return;
    if (message.type === 'height') iframe.height = String(message.height);
    if (message.type === 'answer' && autoReply) {
      const field = form.querySelector('.proposals.inputs input, .proposals.inputs select');
      if (field) field.value = message.answer;
      if (status && status.dataset.answered) status.textContent = status.dataset.answered;
    }
  });
}
