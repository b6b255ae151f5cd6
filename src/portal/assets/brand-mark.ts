// Slate's mark (a clapperboard slate), drawn once: inline in the top bar and served as the favicon.
export const brandMarkSvg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" class="brand-mark" aria-hidden="true" focusable="false">'
  + '<rect x="3" y="12" width="26" height="16" rx="3" fill="#3d72f5"/>'
  + '<path d="M4.2 6.6 27 2.4l1 5.2L5.2 11.8z" fill="#b9cdff"/>'
  + '<path d="M8.4 5.8l3.6 4.9M14.6 4.7l3.6 4.9M20.8 3.5l3.6 4.9" stroke="#0f1b2d" stroke-width="2.2"/>'
  + '<path d="M8 18h16M8 22.5h10" stroke="#ffffff" stroke-width="2.2" stroke-linecap="round"/></svg>';
