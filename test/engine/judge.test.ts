import { describe, expect, it } from 'vitest';
import { renderPrompt, type Card } from '../../src/deck/types.ts';
import { judge, typoBudget, type JudgeReason } from '../../src/engine/judge.ts';
import { editDistance, normalize, joinKeys } from '../../src/engine/normalize.ts';
import { deckCard, deckFile, makeCard, noteCards, seedCard, seedDeck } from './cards.ts';

type Row = [situation: string, answers: string, reply: string];
type ReasonRow = [situation: string, answers: string, reply: string, reason: JudgeReason];

function expectRight(answers: string, reply: string, card: Card = seedCard(answers)): void {
  const verdict = judge(card, reply);
  expect(verdict, `${JSON.stringify(reply)} for ${answers}`).toMatchObject({ correct: true });
  expect(verdict.blanks).toEqual(card.answers.map(() => true));
}

function expectWrong(answers: string, reply: string, reason?: JudgeReason, card: Card = seedCard(answers)): void {
  const verdict = judge(card, reply);
  expect(verdict.correct, `${JSON.stringify(reply)} for ${answers}: ${verdict.reason}`).toBe(false);
  expect(verdict.blanks).toHaveLength(card.answers.length);
  if (reason !== undefined) expect(verdict.reason).toBe(reason);
}

describe('judge: case, spaces, punctuation and quotes', () => {
  it.each<Row>([
    ['lower case', 'Collaborative', 'collaborative'],
    ['upper case', 'weeks', 'WEEKS'],
    ['surrounding spaces', 'months', '   months  '],
    ['trailing full stop', 'scalable', 'scalable.'],
    ['trailing exclamation marks', 'reproducible', 'reproducible!!'],
    ['unsure question mark', 'MLOps', 'MLOps?'],
    ['wrapped in straight quotes', 'DataOps', '"DataOps"'],
    ['wrapped in curly quotes', 'DataOps', '“DataOps”'],
    ['curly apostrophe inside', 'Feature store', '‘feature store’'],
    ['trailing new line', 'Monitoring', 'monitoring\n'],
    ['trailing emoji', 'Seldon', 'seldon 🙂'],
    ['mention of the bot first', 'Verta', '<@123456789012345678> verta'],
  ])('accepts %s: %s ← %j', (_situation, answers, reply) => expectRight(answers, reply));
});

describe('judge: Discord formatting', () => {
  it.each<Row>([
    ['bold', 'weeks', '**weeks**'],
    ['italic with stars', 'weeks', '*weeks*'],
    ['italic with underscores', 'weeks', '_weeks_'],
    ['underline', 'months', '__months__'],
    ['strike-through', 'months', '~~months~~'],
    ['inline code', 'FastAPI', '`FastAPI`'],
    ['code block', 'Streamlit', '```streamlit```'],
    ['code block with language', 'Pycaret', '```py\npycaret\n```'],
    ['spoiler', 'Pachyderm', '||pachyderm||'],
    ['bold spoiler', 'Quilt', '||**quilt**||'],
    ['quote', 'Bokeh', '> bokeh'],
  ])('accepts %s: %s ← %j', (_situation, answers, reply) => expectRight(answers, reply));
});

describe('judge: accents and diacritics', () => {
  it.each<Row>([
    ['acute accents', 'Reproducible', 'réproducible'],
    ['umlaut', 'Data Engineering', 'data engïneering'],
    ['full-width letters', 'DVC', 'ＤＶＣ'],
  ])('accepts %s: %s ← %j', (_situation, answers, reply) => expectRight(answers, reply));

  it('accepts an accented answer written without accents', () => {
    const card = makeCard(['Scikit-learn é'], 'tool: {0}');
    expectRight('Scikit-learn é', 'scikit learn e', card);
  });
});

describe('judge: hyphens, spaces and slashes', () => {
  it.each<Row>([
    ['hyphen dropped', 'generate long-term value', 'generate longterm value'],
    ['hyphen as space', 'generate long-term value', 'generate long term value'],
    ['slash as hyphen', 'CI/CD', 'CI-CD'],
    ['slash dropped', 'CI/CD', 'cicd'],
    ['spaced slash', 'CI/CD', 'ci / cd'],
    ['slash as space', 'CI/CD', 'ci cd'],
    ['name split in two', 'GitHub', 'Git Hub'],
    ['name hyphenated', 'GitLab', 'git-lab'],
    ['spaces dropped', 'Amazon Sage Maker', 'amazon sagemaker'],
    ['spaces dropped everywhere', 'Scikit learn', 'scikitlearn'],
    ['hyphenated like the library', 'Scikit learn', 'scikit-learn'],
    ['hyphen added', 'Feature store', 'feature-store'],
    ['long form with its slash', 'Continuous Integration/Continuous Deployment', 'continuous integration / continuous deployment'],
    ['long form with a hyphen', 'Continuous Integration/Continuous Deployment', 'Continuous Integration-Continuous Deployment'],
    ['camel case split', 'MLOps', 'ML Ops'],
    ['camel case split with hyphen', 'TensorBoard', 'tensor-board'],
  ])('accepts %s: %s ← %j', (_situation, answers, reply) => expectRight(answers, reply));
});

describe('judge: articles and plurals', () => {
  it.each<Row>([
    ['leading the', 'data scientist', 'the data scientist'],
    ['leading a', 'product manager', 'a product manager'],
    ['leading an', 'automated annotation platform', 'an automated annotation platform'],
    ['capitalised article', 'support', 'The support'],
    ['article inside the phrase', 'stores trained models / record', 'stores the trained models, the record'],
    ['singular for plural', 'weeks', 'week'],
    ['singular for plural, two words', 'increased profit margins', 'increased profit margin'],
    ['plural for singular', 'data engineer', 'data engineers'],
    ['plural of a name', 'Bokeh', 'bokehs'],
    ['es plural', 'Model and Data versioning', 'model and data versioninges'],
    ['plural of the acronym', 'DVC', 'DVCs'],
    ['singular verb for plural', 'identifies customer needs', 'identifies customer need'],
    ['article and plural together', 'data scientist', 'the data scientists'],
    ['possessive', 'data scientist', "the data scientist's"],
    ['singular in every word', 'identifies customer needs', 'identify customer need'],
  ])('accepts %s: %s ← %j', (_situation, answers, reply) => expectRight(answers, reply));

  it('accepts ies for y', () => {
    expectRight('company', 'companies', makeCard(['company'], 'values the model in the {0}'));
  });

  it.each<[answer: string, reply: string]>([
    ['index', 'indices'],
    ['indices', 'index'],
    ['index', 'indexes'],
    ['vertex', 'vertices'],
    ['vertices', 'vertex'],
    ['child', 'children'],
    ['children', 'child'],
    ['matrix', 'matrices'],
    ['analysis', 'analyses'],
    ['analyses', 'analysis'],
    ['sparse matrix', 'sparse matrices'],
    ['person', 'people'],
  ])('accepts an irregular or Latin plural as a plural, not a typo: %s ← %j', (answer, reply) => {
    expect(judge(makeCard([answer], 'we store the {0} here'), reply)).toMatchObject({ correct: true, reason: 'plural' });
  });
});

describe('judge: typos scaled to the answer length', () => {
  it.each<[length: number, budget: number]>([
    [1, 0],
    [4, 0],
    [5, 1],
    [8, 1],
    [9, 2],
    [16, 2],
    [17, 3],
    [40, 3],
  ])('an answer of %i letters allows %i typos', (length, budget) => {
    expect(typoBudget(length)).toBe(budget);
  });

  it.each<Row>([
    ['one letter swapped, 5 letters', 'weeks', 'weesk'],
    ['one letter missing, 6 letters', 'months', 'monts'],
    ['one letter wrong, 8 letters', 'scalable', 'scalabel'],
    ['two typos, 12 letters', 'reproducible', 'reproducable'],
    ['double letter, 13 letters', 'collaborative', 'colaborative'],
    ['typo in one word of a phrase', 'change management', 'change managment'],
    ['typos in two words of a phrase', 'understanding model results', 'understandin model result'],
    ['the deck’s own misspelling corrected', 'Feasibilty Study', 'feasibility study'],
    ['typo in a product name', 'TensorBoard', 'tensorbord'],
    ['typo in a product name', 'Matplotlib', 'matplot lib'],
    ['typo in a long answer', 'identify what other data we need', 'identify wat other data we need'],
    ['typo after a joined word', 'Amazon Sage Maker', 'Amazon SageMakr'],
    ['typo in a multi-word answer with a hyphen', 'generate long-term value', 'generate long term valeu'],
    ['typo with plural', 'months', 'monthes'],
  ])('accepts %s: %s ← %j', (_situation, answers, reply) => expectRight(answers, reply));

  it.each<Row>([
    ['one letter off a 4-letter name', 'Dash', 'Dask'],
    ['one letter off a 4-letter word', 'lack / talent', 'lakc, talent'],
    ['digit changed', 'V7', 'V8'],
    ['digit added', 'weeks', '2 weeks'],
    ['letter changed in an acronym', 'DVC', 'DVD'],
    ['acronym changed inside a phrase', 'Model POC', 'model POD'],
    ['acronym changed, words joined', 'Model POC', 'modelpod'],
    ['two letters off an 8-letter word', 'training / model', 'trianign, model'],
    ['another term two letters away', 'Model training', 'Model tracking'],
    ['another tool', 'DataOps', 'DevOps'],
    ['another tool, close', 'Keras Tuner', 'Keras Tuna Tuner'],
    ['a short word added in front', 'understanding model results', 'no understanding model results'],
    ['abbreviation', 'Scikit learn', 'sklearn'],
    ['three typos in 12 letters', 'reproducible', 'repoducabel'],
  ])('rejects %s: %s ← %j', (_situation, answers, reply) => expectWrong(answers, reply));
});

describe('judge: another blank of the same note', () => {
  it.each<Row>([
    ['the other blank of the sentence', 'weeks', 'months'],
    ['the other blank in singular', 'weeks', 'month'],
    ['a sibling in the list', 'reproducible', 'scalable'],
    ['a sibling with an article', 'GitHub', 'the GitLab'],
    ['a sibling tool', 'LabelBox', 'V7'],
    ['the role for its duty', 'data scientist', 'model training'],
    ['one blank of the note for a two-blank card', 'lack / talent', 'change management'],
    ['the other group of the note', 'lack / talent', 'lack, automated systems'],
  ])('rejects %s: %s ← %j', (_situation, answers, reply) => {
    const verdict = judge(seedCard(answers), reply);
    expect(verdict.correct).toBe(false);
  });

  it.each<Row>([
    ['the other blank', 'weeks', 'months'],
    ['a sibling tool', 'Bokeh', 'Seaborn'],
    ['another process step', 'Data Engineering', 'Machine Learning Pipeline'],
    ['a two-blank card answered with the single blank of the note', 'lack / talent', 'change management'],
  ])('says so: %s: %s ← %j', (_situation, answers, reply) => {
    expect(judge(seedCard(answers), reply)).toMatchObject({ correct: false, reason: 'other-blank' });
  });

  it('rejects another blank of the note even when it is a typo away from the answer', () => {
    const card = makeCard(['weeks'], 'a few {0} of weeds', ['weeds']);
    expect(judge(card, 'weeds')).toMatchObject({ correct: false, reason: 'other-blank' });
    expect(judge(card, 'weekz')).toMatchObject({ correct: true, reason: 'typo' });
  });

  it('calls a reply that merely contains another blank plain wrong', () => {
    expect(judge(seedCard('Production Monitoring'), 'production monitor')).toMatchObject({ correct: false, reason: 'wrong' });
  });

  it('still accepts the own answer when another blank has the same words', () => {
    // Group 1 and group 3 of the first note both start with "lack".
    expectRight('lack / automated systems', 'lack, automated systems');
    expectRight('lack / talent', 'lack, talent');
  });
});

describe('judge: longer or different terms and extra words', () => {
  it.each<ReasonRow>([
    ['a longer role that contains the answer', 'data scientist', 'data scientist manager', 'extra-words'],
    ['a longer term', 'model training', 'model training tools', 'extra-words'],
    ['part of the answer only', 'Scikit learn', 'scikit', 'wrong'],
    ['half of a role', 'data scientist manager', 'data scientist', 'wrong'],
    ["it's in front", 'weeks', "it's weeks", 'extra-words'],
    ['I think in front', 'months', 'I think months', 'extra-words'],
    ['answer label in front', 'months', 'answer: months', 'extra-words'],
    ['a domain name', 'GitHub', 'github.com', 'extra-words'],
    ['a number added', 'weeks', '2 weeks', 'extra-words'],
    ['a whole sentence', 'weeks', 'it takes weeks to develop a model', 'extra-words'],
  ])('rejects %s: %s ← %j as %s', (_situation, answers, reply, reason) => expectWrong(answers, reply, reason));
});

describe('judge: words echoed from the prompt around the blank', () => {
  it.each<ReasonRow>([
    ['the words before', 'weeks', 'a few weeks', 'exact'],
    ['more words before', 'weeks', 'in a few weeks', 'exact'],
    ['four words before', 'weeks', 'develop a model in a few weeks', 'exact'],
    ['an article of the prompt dropped', 'weeks', 'in few weeks', 'exact'],
    ['the words after', 'months', 'months of work', 'exact'],
    ['words on both sides', 'months', 'take months of work', 'exact'],
    ['the preposition before', 'model training', 'about model training', 'exact'],
    ['the verb before', 'model training', 'would worry about model training', 'exact'],
    ['the word after', 'Model training', 'model training tools', 'exact'],
    ['the words after a role', 'data scientist manager', 'the data scientist manager evaluates', 'exact'],
    ['the words before a term', 'MLOps', 'known as MLOps', 'exact'],
    ['a typo in the answer', 'weeks', 'a few weks', 'typo'],
    ['a singular answer', 'months', 'month of work', 'plural'],
    ['with formatting', 'weeks', '**in a few weeks**', 'exact'],
  ])('accepts %s: %s ← %j as %s', (_situation, answers, reply, reason) => {
    const verdict = judge(seedCard(answers), reply);
    expect(verdict).toMatchObject({ correct: true, blanks: [true], reason });
  });

  it.each<Row>([
    ['the verb before three blanks', 'when / retrain / model', 'evaluates when to retrain the model'],
    ['the word before three blanks', 'discover / most critical aspects / business', 'we discover the most critical aspects of the business'],
    ['words before the phrase', 'exponential increase / profit', 'we will see an exponential increase in profit'],
    ['a word before a list', 'exponential increase / profit', 'see exponential increase, profit'],
  ])('accepts on a card with several blanks %s: %s ← %j', (_situation, answers, reply) => expectRight(answers, reply));

  it.each<ReasonRow>([
    ['another blank after the echo', 'model training', 'model training and understanding model results', 'too-many-guesses'],
    ['another blank before the echo', 'model training', 'data scientist would worry about model training', 'too-many-guesses'],
    ['the next blank after the echo', 'Model training', 'model training tools include Scikit learn', 'too-many-guesses'],
    ['a bare and after', 'model training', 'model training and', 'extra-words'],
    ['the other blank with its echo', 'weeks', 'a few months', 'other-blank'],
    ['the other blank’s context', 'weeks', 'a few weeks of work', 'extra-words'],
    ['the other blank’s context before', 'weeks', 'take weeks', 'extra-words'],
    ['more than four words before', 'weeks', 'can develop a model in a few weeks', 'extra-words'],
    ['across a comma', 'weeks', 'weeks putting', 'extra-words'],
    ['a typo in an echoed word', 'weeks', 'a fw weeks', 'extra-words'],
    ['another plural of an echoed word', 'months', 'months of works', 'extra-words'],
    ["it's in front", 'weeks', "it's weeks", 'extra-words'],
    ['I think before the echo', 'weeks', 'I think a few weeks', 'extra-words'],
    ['I think in front', 'weeks', 'I think weeks', 'extra-words'],
    ['the answer twice', 'weeks', 'weeks weeks', 'repeated'],
    ['several guesses', 'weeks', 'weeks or months', 'too-many-guesses'],
    ['several guesses after the echo', 'weeks', 'a few weeks or months', 'too-many-guesses'],
    ['a longer role (the prompt reads "would" next)', 'data scientist', 'data scientist manager', 'extra-words'],
    ['half of a role', 'data scientist manager', 'data scientist', 'wrong'],
    ['a longer term (the prompt reads "and" next)', 'model training', 'model training tools', 'extra-words'],
  ])('rejects %s: %s ← %j as %s', (_situation, answers, reply, reason) => expectWrong(answers, reply, reason));

  it.each<ReasonRow>([
    ['the subject, another blank, before three blanks', 'when / retrain / model', 'the data scientist manager evaluates when to retrain the model', 'partial'],
    ['another blank after three blanks', 'when / retrain / model', 'when to retrain the model and any changes required', 'partial'],
    ['a word across a colon', 'lack / talent', 'are lack of talent', 'partial'],
  ])('rejects on a card with several blanks %s: %s ← %j as %s', (_situation, answers, reply, reason) =>
    expectWrong(answers, reply, reason),
  );

  it.each<[situation: string, prompt: string, reply: string, correct: boolean]>([
    ['words before', 'runs in a few {0}', 'in a few weeks', true],
    ['a semicolon after', 'a few {0}; then months', 'weeks then', false],
    ['a colon before', 'takes: {0}', 'takes weeks', false],
    ['a full stop before', 'It runs. {0} pass', 'runs weeks', false],
    ['a parenthesis after', 'a few {0} (then months)', 'weeks then', false],
    ['a line break before', 'a few\n{0}', 'few weeks', false],
    ['a slash after', 'a few {0}/days', 'weeks days', false],
    ['a hyphen inside an echoed word', 'long-term {0}', 'long term weeks', true],
    ['the hyphenated word joined', 'long-term {0}', 'longterm weeks', true],
  ])('on a hand-made card, %s: %j ← %j', (_situation, prompt, reply, correct) => {
    expect(judge(makeCard(['weeks'], prompt), reply).correct).toBe(correct);
  });

  it('stops the echo at any word of another blank shown in the prompt', () => {
    const card = makeCard(['weeks'], 'then months pass in {0} of work', ['months']);
    expect(judge(card, 'pass in weeks of work').correct).toBe(true);
    expect(judge(card, 'months pass in weeks').correct).toBe(false);
    expect(judge(card, 'then months pass in weeks').correct).toBe(false);
  });

  it('never accepts a one-blank answer with another blank of its note next to it', () => {
    for (const card of seedDeck().cards.filter((each) => each.answers.length === 1)) {
      for (const other of card.otherBlanks) {
        for (const reply of [`${card.answers[0]} ${other}`, `${other} ${card.answers[0]}`]) {
          expect(judge(card, reply).correct, `${reply} for ${card.answers[0]}`).toBe(false);
        }
      }
    }
  });

  it('never accepts the phrase of a multi-blank card with another blank of its note next to it', () => {
    for (const card of seedDeck().cards.filter((each) => each.answers.length > 1)) {
      const own = new Set(card.answers.map((answer) => joinKeys(normalize(answer).words)));
      for (const other of card.otherBlanks) {
        if (own.has(joinKeys(normalize(other).words))) continue;
        for (const reply of [`${spanOf(card)} ${other}`, `${other} ${spanOf(card)}`]) {
          expect(judge(card, reply).correct, `${reply} for ${card.answers.join(' / ')}`).toBe(false);
        }
      }
    }
  });
});

describe('judge: several guesses and repetition', () => {
  it.each<ReasonRow>([
    ['two guesses with or', 'weeks', 'weeks or months', 'too-many-guesses'],
    ['two guesses with a slash', 'weeks', 'weeks/months', 'too-many-guesses'],
    ['three guesses with commas', 'weeks', 'weeks, months, days', 'too-many-guesses'],
    ['two guesses with and', 'reproducible', 'reproducible and collaborative', 'too-many-guesses'],
    ['two guesses with &', 'reproducible', 'scalable & reproducible', 'too-many-guesses'],
    ['two guesses on new lines', 'Feast', 'feast\nfeaturetools', 'too-many-guesses'],
    ['two guesses with spaces only', 'weeks', 'weeks months', 'too-many-guesses'],
    ['a wrong guess and the answer', 'weeks', 'days, weeks', 'too-many-guesses'],
    ['a guess with maybe', 'Comet', 'comet maybe clearml', 'too-many-guesses'],
    ['answer twice', 'weeks', 'weeks weeks', 'repeated'],
    ['answer twice with a comma', 'weeks', 'weeks, weeks', 'repeated'],
    ['phrase twice', 'data scientist', 'data scientist data scientist', 'repeated'],
    ['one blank of a two-blank card twice', 'lack / talent', 'talent talent', 'repeated'],
    ['more answers than blanks', 'lack / talent', 'lack, talent, change management', 'too-many-guesses'],
  ])('rejects %s: %s ← %j as %s', (_situation, answers, reply, reason) => expectWrong(answers, reply, reason));
});

describe('judge: empty replies', () => {
  it.each<[situation: string, reply: string]>([
    ['nothing', ''],
    ['spaces', '   '],
    ['punctuation', '?!.'],
    ['empty formatting', '****'],
    ['empty spoiler', '|| ||'],
    ['a mention only', '<@123456789012345678>'],
  ])('rejects %s', (_situation, reply) => {
    expect(judge(seedCard('weeks'), reply)).toMatchObject({ correct: false, blanks: [false], reason: 'empty' });
    expect(judge(seedCard('lack / talent'), reply)).toMatchObject({ correct: false, blanks: [false, false], reason: 'empty' });
  });
});

describe('judge: cards with several blanks, list form', () => {
  it.each<Row>([
    ['comma', 'lack / talent', 'lack, talent'],
    ['semicolon', 'lack / talent', 'lack; talent'],
    ['slash', 'lack / talent', 'lack/talent'],
    ['spaced slash', 'lack / talent', 'lack / talent'],
    ['new line', 'lack / talent', 'lack\ntalent'],
    ['ampersand', 'lack / talent', 'lack & talent'],
    ['and', 'lack / talent', 'lack and talent'],
    ['spaces only', 'lack / talent', 'lack talent'],
    ['dash between', 'lack / talent', 'lack - talent'],
    ['bullets', 'lack / talent', '- lack\n- talent'],
    ['numbered', 'obtains / extracts / corrects', '1. obtains 2. extracts 3. corrects'],
    ['numbered with parentheses', 'obtains / extracts / corrects', '1) obtains\n2) extracts\n3) corrects'],
    ['x, y and z', 'when / retrain / model', 'when, retrain and model'],
    ['x, y, and z', 'when / retrain / model', 'when, retrain, and model'],
    ['articles on blanks', 'when / retrain / model', 'when, retrain, the model'],
    ['one typo per blank', 'discover / most critical aspects / business', 'discover, most critcal aspects, busines'],
    ['swapped letters in two blanks', 'training / model', 'trainnig, modle'],
    ['plural slips', 'obtains / extracts / corrects', 'obtain, extract, correct'],
    ['formatted', 'lack / talent', '**lack**, ||talent||'],
    ['upper case', 'monitor / performance / model', 'MONITOR, PERFORMANCE, MODEL'],
    ['multi-word blanks', 'switch models / real time', 'switch models, real-time'],
    ['acronym in a blank', 'endpoints / APIs', 'endpoints, apis'],
    ['singular for plural in the phrase', 'values / model / company', 'value, model, companies'],
  ])('accepts %s: %s ← %j', (_situation, answers, reply) => expectRight(answers, reply));
});

describe('judge: cards with several blanks, sentence form', () => {
  it.each<Row>([
    ['the phrase', 'lack / talent', 'lack of talent'],
    ['the phrase with an article', 'lack / automated systems', 'the lack of automated systems'],
    ['the phrase with a full stop', 'lack / talent', 'Lack of talent.'],
    ['three blanks', 'when / retrain / model', 'when to retrain the model'],
    ['an article dropped', 'when / retrain / model', 'when to retrain model'],
    ['another blank shown between', 'stores / configuration / metadata / model', 'stores the configuration and metadata of the model'],
    ['comma and words between', 'performs worse / retrain / redeploy', 'performs worse, we could retrain and redeploy'],
    ['typo in a blank', 'exponential increase / profit', 'exponential increse in profit'],
    ['mixed with a comma', 'discover / most critical aspects / business', 'discover the most critical aspects, business'],
    ['two-word between-text', 'training / model', 'training of a model'],
  ])('accepts %s: %s ← %j', (_situation, answers, reply) => expectRight(answers, reply));

  it.each<ReasonRow>([
    ['a wrong word in the phrase', 'lack / talent', 'lack of skills', 'partial'],
    ['context before the phrase', 'lack / talent', 'are lack of talent', 'partial'],
    ['the whole sentence', 'when / retrain / model', 'the data scientist manager evaluates when to retrain the model', 'partial'],
  ])('rejects %s: %s ← %j as %s', (_situation, answers, reply, reason) => expectWrong(answers, reply, reason));
});

describe('judge: cards with several blanks, wrong or missing', () => {
  it.each<ReasonRow>([
    ['one blank only', 'lack / talent', 'talent', 'missing-blank'],
    ['one of three', 'when / retrain / model', 'retrain', 'missing-blank'],
    ['two of three', 'when / retrain / model', 'when, retrain', 'missing-blank'],
    ['one blank wrong', 'lack / talent', 'lack, skills', 'partial'],
    ['two of three right', 'monitor / performance / model', 'monitor, accuracy, model', 'partial'],
    ['nothing right', 'lack / talent', 'need, money', 'wrong'],
    ['swapped', 'lack / talent', 'talent, lack', 'wrong-order'],
    ['shuffled', 'when / retrain / model', 'retrain, when, model', 'wrong-order'],
    ['another blank for one blank', 'lack / talent', 'lack, change management', 'partial'],
    ['more than the blanks', 'lack / talent', 'lack, talent, change management', 'too-many-guesses'],
    ['a short blank with a typo', 'when / retrain / model', 'then, retrain, model', 'partial'],
  ])('rejects %s: %s ← %j as %s', (_situation, answers, reply, reason) => expectWrong(answers, reply, reason));

  it('marks which blanks were right', () => {
    expect(judge(seedCard('monitor / performance / model'), 'monitor, accuracy, model')).toMatchObject({
      correct: false,
      blanks: [true, false, true],
      reason: 'partial',
      message: '2 of 3 blanks right',
    });
    expect(judge(seedCard('lack / talent'), 'talent').blanks).toEqual([false, true]);
  });

  it.each<Row>([
    ['a plain list in another order', 'suitability / safety', 'safety and suitability'],
    ['three listed verbs in another order', 'obtains / extracts / corrects', 'extracts, corrects, obtains'],
    ['listed items in another order', 'image / video annotation', 'video annotation, image'],
  ])('accepts %s (the prompt lists them with commas or and): %s ← %j', (_situation, answers, reply) =>
    expectRight(answers, reply),
  );
});

describe('judge: answers that hold a separator', () => {
  const versioning = makeCard(['Model and Data versioning', 'experiments'], '{0} ensures {1} are reproducible.');
  const cicd = makeCard(['CI/CD', 'models'], '{0} ensures that {1} are built.');
  const slashes = makeCard(['input/output', 'x/y'], 'maps {0} to {1}');

  it.each<[situation: string, card: Card, reply: string]>([
    ['and inside the first answer, comma', versioning, 'model and data versioning, experiments'],
    ['and inside the first answer, and between', versioning, 'Model and Data versioning and experiments'],
    ['& inside the first answer', versioning, 'model & data versioning / experiments'],
    ['sentence form', versioning, 'model and data versioning ensures experiments'],
    ['slash inside, comma between', cicd, 'CI/CD, models'],
    ['slash inside, slash between', cicd, 'CI/CD / models'],
    ['slash inside and between', cicd, 'ci/cd/models'],
    ['slashes everywhere', slashes, 'input/output/x/y'],
    ['slashes and to', slashes, 'input/output to x/y'],
  ])('accepts %s: %j', (_situation, card, reply) => {
    expect(judge(card, reply)).toMatchObject({ correct: true, blanks: card.answers.map(() => true) });
  });

  it.each<Row>([
    ['& for and', 'Model and Data versioning', 'model & data versioning'],
    ['typo', 'Model and Data versioning', 'model and data versionning'],
    ['or inside the answer', 'Data visualization or exploration', 'data visualisation or exploration'],
  ])('one-blank card accepts %s: %s ← %j', (_situation, answers, reply) => expectRight(answers, reply));

  it.each<Row>([
    ['and dropped', 'Model and Data versioning', 'model data versioning'],
    ['half the answer', 'Model and Data versioning', 'data versioning'],
    ['half of CI/CD', 'CI/CD', 'CI'],
    ['the abbreviation for the long form', 'Continuous Integration/Continuous Deployment', 'CI/CD'],
  ])('one-blank card rejects %s: %s ← %j', (_situation, answers, reply) => expectWrong(answers, reply));
});

describe('judge: cards built from single notes', () => {
  it('judges each group of a note on its own', () => {
    const [first, second] = noteCards('The -support- helps the business 1.-apply- the 1.-model-.');
    expect(first?.answers).toEqual(['support']);
    expect(second?.answers).toEqual(['apply', 'model']);
    expect(judge(first as Card, 'support').correct).toBe(true);
    expect(judge(second as Card, 'apply the model').correct).toBe(true);
    expect(judge(second as Card, 'support').reason).toBe('other-blank');
  });
});

describe('judge: every card of the seed deck', () => {
  const cards = seedDeck().cards;
  const multi = cards.filter((card) => card.answers.length > 1);

  it('has the cards the format page counts', () => {
    expect(cards).toHaveLength(186);
  });

  it.each(cards.map((card) => [card.answers.join(', '), card] as const))('accepts its answers joined with commas: %s', (reply, card) => {
    const verdict = judge(card, reply);
    expect(verdict).toMatchObject({ correct: true, reason: 'exact' });
    expect(verdict.blanks).toEqual(card.answers.map(() => true));
  });

  it.each(multi.map((card) => [spanOf(card), card] as const))('accepts the phrase as it reads: %s', (reply, card) => {
    expect(judge(card, reply)).toMatchObject({ correct: true });
  });

  it.each(multi.map((card) => [card.answers.join(' and '), card] as const))('accepts its answers joined with and: %s', (reply, card) => {
    expect(judge(card, reply).correct).toBe(true);
  });

  it.each(cards.map((card) => [card.answers.join(', ').toUpperCase(), card] as const))('accepts it shouted: %s', (reply, card) => {
    expect(judge(card, reply).correct).toBe(true);
  });

  it('never accepts another blank of the same note', () => {
    for (const card of cards) {
      const own = new Set(card.answers.map((answer) => joinKeys(normalize(answer).words)));
      for (const other of card.otherBlanks) {
        if (own.has(joinKeys(normalize(other).words))) continue;
        expect(judge(card, other).correct, `${other} for ${card.answers.join(' / ')}`).toBe(false);
      }
    }
  });

  it('never accepts a one-blank answer with another blank of its note added', () => {
    for (const card of cards.filter((each) => each.answers.length === 1)) {
      for (const other of card.otherBlanks) {
        for (const reply of [`${card.answers[0]} or ${other}`, `${card.answers[0]}/${other}`, `${other}, ${card.answers[0]}`]) {
          expect(judge(card, reply).correct, reply).toBe(false);
        }
      }
    }
  });

  it('never accepts a multi-blank card with its last blank missing', () => {
    for (const card of multi) {
      expect(judge(card, card.answers.slice(0, -1).join(', ')).correct).toBe(false);
    }
  });
});

/** A row of a subject deck's table: the card's answers, a reply, right or not. */
type SubjectRow = [answers: string, reply: string, correct: boolean];

function subjectTable(file: string, rows: readonly SubjectRow[]): void {
  it.each(rows)('%s ← %j is right: %s', (answers, reply, correct) => {
    const card = deckCard(deckFile(file), answers);
    const verdict = judge(card, reply);
    expect(verdict.correct, `${JSON.stringify(reply)} for ${answers}: ${verdict.reason}`).toBe(correct);
    expect(verdict.blanks).toHaveLength(card.answers.length);
  });
}

describe('judge: a chemistry deck (numbers in words and decimals)', () => {
  subjectTable('test/fixtures/decks/chemistry.md', [
    ['six', 'six', true],
    ['six', '6', true],
    ['six', 'Six.', true],
    ['six', 'seven', false],
    ['six', '6.0', true],
    ['4', 'four', true],
    ['4', 'for', false],
    ['8', 'eight', true],
    ['8', '8.0', true],
    ['8', '8.00', true],
    ['8', '9', false],
    ['8', '80', false],
    ['two / one', '2, 1', true],
    ['two / one', 'two and one', true],
    ['two / one', '2 hydrogen atoms and one', true],
    ['two / one', '2', false],
    ['nucleus', 'nuclei', true],
    ['7.0', '7', true],
    ['7.0', 'seven', true],
    ['7.0', '7.0', true],
    ['7.0', '7.00', true],
    ['7.0', 'pH 7.0.', false],
    ['7.0', 'is 7.', true],
    ['7.0', '7.5', false],
    ['7.0', '70', false],
    ['7.0', '7 0', false],
    ['7.0', '0.7', false],
    ['7.5', '7.5', true],
    ['7.5', '7', false],
    ['7.5', '75', false],
    ['7.5', '7 5', false],
    ['7.5', 'seven', false],
    ['6.022', '6.022', true],
    ['6.022', '6.02', false],
    ['6.022', '6022', false],
    ['sodium chloride', 'sodium chlorid', true],
    ['sodium chloride', 'ionic bonds', false],
    ['exothermic', 'exothermic', true],
    ['exothermic', 'endothermic', false],
  ]);
});

describe('judge: a history deck (years and numbers in words)', () => {
  subjectTable('test/fixtures/decks/history.md', [
    ['1918', '1918', true],
    ['1918', 'nineteen eighteen', true],
    ['1918', 'in 1918', true],
    ['1918', '1919', false],
    ['1918', '1981', false],
    ['116', 'one hundred and sixteen', true],
    ['116', 'one hundred sixteen', true],
    ['116', '116 years', true],
    ['116', '100', false],
    ['116', '160', false],
    ['Europe / May 1945', 'Europe, May 1945', true],
    ['Europe / May 1945', 'Europe in May 1945', true],
    ['Europe / May 1945', 'Europe, May nineteen forty-five', true],
    ['Europe / May 1945', 'Europe, May 1944', false],
    ['thirteen', '13', true],
    ['thirteen', 'thirteen', true],
    ['thirteen', '13 colonies', true],
    ['thirteen', 'thirten', false],
    ['thirteen', '30', false],
    ['thirteen', 'thirty', false],
    ['1776', 'thirteen', false],
    ['twenty-eight', '28', true],
    ['twenty-eight', 'twenty eight', true],
    ['twenty-eight', 'twentyeight', true],
    ['twenty-eight', 'Twenty-Eight years', true],
    ['twenty-eight', '82', false],
    ['twenty-eight', 'twenty', false],
    ['1989', 'nineteen eighty-nine', true],
    ['1989', '1998', false],
    ['Bastille', 'bastile', true],
    ['1804', '1840', false],
  ]);
});

describe('judge: a programming deck (answers made of symbols)', () => {
  subjectTable('test/fixtures/decks/programming.md', [
    ['[]', '[]', true],
    ['[]', '`[]`', true],
    ['[]', '[ ]', true],
    ['[]', '{}', false],
    ['[]', '()', false],
    ['[]', 'list', false],
    ['{}', '{}', true],
    ['{}', '[]', false],
    ['->', '->', true],
    ['->', '**->**', true],
    ['->', '=>', false],
    ['->', '-', false],
    ['->', '>', false],
    ['==', '==', true],
    ['==', '=', false],
    ['==', '===', false],
    ['==', '!=', false],
    ['[] / {}', '[], {}', true],
    ['[] / {}', '[] {}', true],
    ['[] / {}', '[]; {}', true],
    ['[] / {}', '{}, []', false],
    ['[] / {}', '[]', false],
    ['append', '[]', false],
    ['vertices', 'vertex', true],
    ['vertices', 'edges', false],
    ['indices', 'index', true],
    ['indices', 'indexes', true],
    ['0', 'zero', true],
    ['0', '0.0', true],
    ['0', 'one', false],
    ['0', 'O', false],
    ['eight', '8', true],
    ['eight', '8 bits', true],
    ['eight', '16', false],
    ['recursive', 'recursve', true],
    ['len', 'length', false],
  ]);

  it.each([
    ['only full stops', '...'],
    ['question and exclamation marks', '?!'],
    ['formatting only', '****'],
  ])('still finds a reply of %s empty on a symbol card', (_situation, reply) => {
    expect(judge(deckCard(deckFile('test/fixtures/decks/programming.md'), '->'), reply).reason).toBe('empty');
  });

  it('judges a symbols-only reply to a word card as wrong, not empty', () => {
    expect(judge(deckCard(deckFile('test/fixtures/decks/programming.md'), 'append'), '[]').reason).toBe('wrong');
  });
});

describe('normalize: edit distance', () => {
  it.each<[a: string, b: string, distance: number]>([
    ['weeks', 'weeks', 0],
    ['weeks', 'weesk', 1],
    ['weeks', 'week', 1],
    ['training', 'tracking', 2],
    ['dask', 'dash', 1],
    ['', 'abc', 3],
    ['ca', 'abc', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

/** The prompt from the card's first own blank to its last, blanks filled in. */
function spanOf(card: Card): string {
  const first = card.parts.findIndex((part) => typeof part !== 'string');
  let last = card.parts.length - 1;
  while (last > first && typeof card.parts[last] === 'string') last--;
  return renderPrompt({ parts: card.parts.slice(first, last + 1) }, (index) => card.answers[index] ?? '');
}
