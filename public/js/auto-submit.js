// Sends the deep-linking answer back to the LMS; the button stays for browsers without JavaScript.
document.getElementById('deep-linking-return')?.submit();
