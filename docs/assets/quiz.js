// Makes the quiz blocks interactive; the markup (src/verified_docs/quiz/render.py) works
// without this script. Progress is kept in localStorage under "verified-quiz:" + the
// question's data-quiz-key, which changes when the question is edited.
(() => {
  const PREFIX = "verified-quiz:";
  const all = (root, selector) => [...root.querySelectorAll(selector)];
  const choices = (q, test) => all(q, ".quiz-choice").filter(test).map((i) => +i.value);

  // localStorage throws when storage is disabled; the quiz then works for this visit only.
  const load = (key) => {
    try {
      return JSON.parse(localStorage.getItem(PREFIX + key));
    } catch (e) {
      return null;
    }
  };
  const save = (key, value) => {
    try {
      if (value) localStorage.setItem(PREFIX + key, JSON.stringify(value));
      else localStorage.removeItem(PREFIX + key);
    } catch (e) {}
  };

  const paragraph = (className, nodes) => {
    const p = document.createElement("p");
    p.className = className;
    p.append(...nodes);
    return p;
  };
  const copy = (element) => [...element.childNodes].map((n) => n.cloneNode(true));

  // A wrong answer to a question with several right choices says which way it is wrong.
  function notQuite(q, chosen, correct) {
    const missing = correct.some((i) => !chosen.includes(i));
    if (q.dataset.quizMultiple !== "true" || !missing) return "Not quite; try again.";
    if (chosen.every((i) => correct.includes(i))) {
      return "Not quite: what you ticked is right, but a right choice is still missing.";
    }
    return "Not quite: a choice you ticked is wrong, and a right one is missing.";
  }

  // Shows the verdict for the chosen indices (or clears it for null); true when right.
  function verdict(q, chosen) {
    const box = q.querySelector(".quiz-feedback");
    box.replaceChildren();
    delete q.dataset.quizState;
    if (!chosen) return false;
    if (!chosen.length) {
      box.append(paragraph("quiz-verdict", ["Pick an answer first."]));
      return false;
    }
    const correct = choices(q, (i) => i.hasAttribute("data-correct"));
    const right = chosen.join() === correct.join();
    q.dataset.quizState = right ? "right" : "wrong";
    box.append(paragraph("quiz-verdict", [right ? "Right." : notQuite(q, chosen, correct)]));
    // The explanation gives the answer away: only once it is found (or revealed under
    // "Show the answer"). A wrong pick shows what the page says about that choice.
    if (right) {
      box.append(paragraph("quiz-explain", copy(q.querySelector(".quiz-explain"))));
      return true;
    }
    for (const index of chosen) {
      const note = q.querySelector(`.quiz-choice-feedback[data-choice="${index}"]`);
      if (note) box.append(paragraph("quiz-note", copy(note)));
    }
    return false;
  }

  function score() {
    const questions = all(document, ".quiz-question");
    const right = questions.filter((q) => q.dataset.quizState === "right").length;
    for (const element of all(document, ".quiz-score")) {
      element.textContent = `Score: ${right} of ${questions.length} right`;
    }
  }

  function check(q) {
    const chosen = choices(q, (i) => i.checked);
    verdict(q, chosen);
    save(q.dataset.quizKey, chosen.length && { chosen });
    score();
  }

  function reset(quiz) {
    for (const q of all(document, ".quiz-question")) {
      for (const input of all(q, ".quiz-choice")) input.checked = false;
      q.querySelector(".quiz-answer").open = false;
      verdict(q, null);
      save(q.dataset.quizKey, null);
    }
    score();
    quiz.querySelector(".quiz-choice").focus();
  }

  function setup(quiz) {
    quiz.dataset.quizReady = "";
    for (const element of all(quiz, ".quiz-check, .quiz-reset, .quiz-score")) {
      element.hidden = false;
    }
    for (const q of all(quiz, ".quiz-question")) {
      const saved = load(q.dataset.quizKey);
      if (saved && Array.isArray(saved.chosen)) {
        for (const input of all(q, ".quiz-choice")) {
          input.checked = saved.chosen.includes(+input.value);
        }
        verdict(q, saved.chosen);
      }
      q.querySelector(".quiz-check").addEventListener("click", () => check(q));
      // A changed choice has not been checked yet: forget the old verdict.
      q.addEventListener("change", () => {
        verdict(q, null);
        save(q.dataset.quizKey, null);
        score();
      });
    }
    quiz.querySelector(".quiz-reset").addEventListener("click", () => reset(quiz));
    score();
  }

  const start = () => all(document, ".quiz:not([data-quiz-ready])").forEach(setup);
  // Material's document$ emits on the first load and after each instant navigation.
  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  // Printed pages show every answer.
  window.addEventListener("beforeprint", () => {
    for (const details of all(document, ".quiz-answer")) details.open = true;
  });
})();
