/* pm: the search engine of the incident list, loaded by search.js the first time the list is searched or
 * filtered. It reads the index pm wrote in search/ (src/render/search/): a manifest (search/index.js),
 * then only the files a query needs, each a script that calls PM_SEARCH_SHARD(name, data), because a
 * page opened from disk (file://) may load scripts but may not fetch() files.
 *
 *   terms/<n>                one range of terms, each with the incidents that have it and its score in each
 *   filters/<facet>/<slug>   the incidents with one value of a filter
 *   docs/<n>                 the rows of a stretch of the list (newest first), for drawing matches
 *
 * A query is cut into words and each word made a term exactly as pm indexed the records
 * (src/render/search/words.rs): lowercased, cut at anything that is not a letter or a digit, stop words
 * and over-long words dropped, and words of ASCII letters cut to their Snowball English stem (stem()
 * below gives what the rust-stemmers crate gives; a browser test compares the two on many words). An
 * incident matches when it has every term (the last word, while it is being typed, also matches terms
 * that start with it) and every filter chosen; matches are ranked by the sum of their terms' scores
 * (BM25F, worked out by pm), ties and a filter alone newest first.
 *
 * No eval, no network beyond the site's own files, no HTML built from record text: the rows are handed
 * to search.js, which draws them with DOM methods.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------------------------------------
  // Snowball English ("Porter2") stemmer, for words of the letters a-z only.

  function isVowel(c) {
    return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";
  }

  /** Whether w.slice(0, end) ends in a short syllable. */
  function shortSyllable(w, end) {
    if (end >= 3) {
      var last = w.charAt(end - 1);
      if (!isVowel(last) && last !== "w" && last !== "x" && last !== "Y" &&
        isVowel(w.charAt(end - 2)) && !isVowel(w.charAt(end - 3))) {
        return true;
      }
    }
    return end === 2 && isVowel(w.charAt(0)) && !isVowel(w.charAt(1));
  }

  function ends(w, suffix) {
    return w.length >= suffix.length && w.slice(w.length - suffix.length) === suffix;
  }

  /** The longest of `suffixes` that w ends with, or "". */
  function longest(w, suffixes) {
    var best = "";
    for (var i = 0; i < suffixes.length; i++) {
      if (suffixes[i].length > best.length && ends(w, suffixes[i])) {
        best = suffixes[i];
      }
    }
    return best;
  }

  function hasVowel(w, end) {
    for (var i = 0; i < end; i++) {
      if (isVowel(w.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  var EXCEPTIONS = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
    ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe",
    atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes"
  };
  var INVARIANT_AFTER_1A = ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"];
  var STEP2 = {
    tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
    ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful",
    ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", ogi: "og",
    fulli: "ful", lessli: "less", li: ""
  };
  var STEP3 = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "", ative: "" };
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti",
    "ous", "ive", "ize", "ion"];
  var STEP2_KEYS = Object.keys(STEP2);
  var STEP3_KEYS = Object.keys(STEP3);

  function stem(word) {
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) {
      return EXCEPTIONS[word];
    }
    if (word.length < 3) {
      return word;
    }
    // Prelude: a y that acts as a consonant becomes Y.
    var w = word.charAt(0) === "y" ? "Y" + word.slice(1) : word;
    for (var i = 1; i < w.length; i++) {
      if (w.charAt(i) === "y" && isVowel(w.charAt(i - 1))) {
        w = w.slice(0, i) + "Y" + w.slice(i + 1);
      }
    }
    // Regions: R1 after the first non-vowel that follows a vowel, R2 the same within R1.
    var afterVowelConsonant = function (from) {
      var j = from;
      while (j < w.length && !isVowel(w.charAt(j))) j++;
      while (j < w.length && isVowel(w.charAt(j))) j++;
      return j < w.length ? j + 1 : w.length;
    };
    var p1;
    if (w.indexOf("gener") === 0) {
      p1 = 5;
    } else if (w.indexOf("commun") === 0) {
      p1 = 6;
    } else if (w.indexOf("arsen") === 0) {
      p1 = 5;
    } else {
      p1 = afterVowelConsonant(0);
    }
    var p2 = p1 < w.length ? afterVowelConsonant(p1) : w.length;

    // Step 1a.
    var s = longest(w, ["sses", "ied", "ies", "ss", "us", "s"]);
    if (s === "sses") {
      w = w.slice(0, -2);
    } else if (s === "ied" || s === "ies") {
      w = w.slice(0, -3) + (w.length - 3 >= 2 ? "i" : "ie");
    } else if (s === "s" && w.length >= 2 && hasVowel(w, w.length - 2)) {
      w = w.slice(0, -1);
    }
    if (INVARIANT_AFTER_1A.indexOf(w) === -1) {
      // Step 1b.
      s = longest(w, ["eedly", "ingly", "edly", "eed", "ing", "ed"]);
      if (s === "eed" || s === "eedly") {
        if (w.length - s.length >= p1) {
          w = w.slice(0, w.length - s.length) + "ee";
        }
      } else if (s && hasVowel(w, w.length - s.length)) {
        w = w.slice(0, w.length - s.length);
        var end = longest(w, ["at", "bl", "iz", "bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]);
        if (end === "at" || end === "bl" || end === "iz") {
          w += "e";
        } else if (end) {
          w = w.slice(0, -1);
        } else if (w.length === p1 && shortSyllable(w, w.length)) {
          w += "e";
        }
      }
      // Step 1c.
      var y = w.charAt(w.length - 1);
      if ((y === "y" || y === "Y") && w.length > 2 && !isVowel(w.charAt(w.length - 2))) {
        w = w.slice(0, -1) + "i";
      }
      // Step 2.
      s = longest(w, STEP2_KEYS);
      if (s && w.length - s.length >= p1) {
        var before = w.charAt(w.length - s.length - 1);
        if (s === "ogi") {
          if (before === "l") {
            w = w.slice(0, -3) + "og";
          }
        } else if (s === "li") {
          if ("cdeghkmnrt".indexOf(before) !== -1 && before !== "") {
            w = w.slice(0, -2);
          }
        } else {
          w = w.slice(0, w.length - s.length) + STEP2[s];
        }
      }
      // Step 3.
      s = longest(w, STEP3_KEYS);
      if (s && w.length - s.length >= p1 && (s !== "ative" || w.length - s.length >= p2)) {
        w = w.slice(0, w.length - s.length) + STEP3[s];
      }
      // Step 4.
      s = longest(w, STEP4);
      if (s && w.length - s.length >= p2) {
        if (s !== "ion") {
          w = w.slice(0, w.length - s.length);
        } else if (/[st]$/.test(w.slice(0, -3))) {
          w = w.slice(0, -3);
        }
      }
      // Step 5.
      var last = w.charAt(w.length - 1);
      if (last === "e") {
        var at = w.length - 1;
        if (at >= p2 || (at >= p1 && !shortSyllable(w, at))) {
          w = w.slice(0, -1);
        }
      } else if (last === "l" && w.length - 1 >= p2 && w.charAt(w.length - 2) === "l") {
        w = w.slice(0, -1);
      }
    }
    return w.replace(/Y/g, "y");
  }

  // ---------------------------------------------------------------------------------------------
  // Words and terms, as src/render/search/words.rs makes them.

  var SPLIT;
  try {
    SPLIT = new RegExp("[^\\p{Alphabetic}\\p{N}]+", "u");
  } catch (e) {
    SPLIT = /[^a-z0-9\u00c0-\u024f]+/;
  }

  /** The query's words as pm indexes them: [{ term, prefix }], prefix set on a last word being typed. */
  function queryWords(query, manifest) {
    var stop = manifest.stop_words || [];
    var max = manifest.max_word || 40;
    var lower = query.toLowerCase();
    var words = lower.split(SPLIT).filter(function (w) {
      return w.length > 0 && stop.indexOf(w) === -1 && Array.from(w).length <= max;
    });
    // Typing the last word: nothing after it (a space or a hyphen says it is finished).
    var typing = lower.length > 0 && !SPLIT.test(lower.charAt(lower.length - 1));
    var seen = {};
    var out = [];
    words.forEach(function (w, i) {
      var term = /^[a-z]+$/.test(w) ? stem(w) : w;
      var prefix = typing && i === words.length - 1 && Array.from(w).length >= 3 ? w : null;
      var key = term + "\u0000" + (prefix || "");
      if (!seen[key]) {
        seen[key] = true;
        out.push({ term: term, prefix: prefix });
      }
    });
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Loading the index's files

  var base = "";
  var loaded = {};
  var loading = {};

  window.PM_SEARCH_SHARD = function (name, data) {
    if (typeof name === "string") {
      loaded[name] = data;
    }
  };

  /** The file registered as `name` (search/<name>.js), loaded once. */
  function shard(name) {
    if (Object.prototype.hasOwnProperty.call(loaded, name)) {
      return Promise.resolve(loaded[name]);
    }
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = base + name + ".js";
        script.async = true;
        script.onload = function () {
          if (Object.prototype.hasOwnProperty.call(loaded, name)) {
            resolve(loaded[name]);
          } else {
            reject(new Error("search index file " + name + " did not register"));
          }
        };
        script.onerror = function () {
          delete loading[name];
          reject(new Error("search index file " + name + " did not load"));
        };
        document.head.appendChild(script);
      });
    }
    return loading[name];
  }

  // Numbers: five bits a character, most significant first; the last character of a number is one of
  // the first 32 of the alphabet (src/render/search/shards.rs).
  var ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var VALUE = {};
  for (var a = 0; a < ALPHABET.length; a++) {
    VALUE[ALPHABET.charAt(a)] = a;
  }

  function numbers(text) {
    var out = [];
    var acc = 0;
    for (var i = 0; i < text.length; i++) {
      var v = VALUE[text.charAt(i)];
      if (v === undefined) {
        return out;
      }
      acc = acc * 32 + (v & 31);
      if (v < 32) {
        out.push(acc);
        acc = 0;
      }
    }
    return out;
  }

  /** Postings as { position: score }. */
  function postings(text) {
    var n = numbers(text);
    var out = {};
    var next = 0;
    for (var i = 0; i + 1 < n.length; i += 2) {
      var pos = next + n[i];
      out[pos] = n[i + 1];
      next = pos + 1;
    }
    return out;
  }

  /** A filter's positions as a set. */
  function positions(text) {
    var out = {};
    var next = 0;
    numbers(text).forEach(function (gap) {
      out[next + gap] = true;
      next += gap + 1;
    });
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Searching

  var manifest = null;

  /** The term shard that would hold `term`: the last whose first term is not after it. */
  function termShard(term) {
    var firsts = manifest.terms || [];
    var lo = 0;
    var hi = firsts.length - 1;
    var found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= term) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The term shards a word needs: its term's, and for a prefix the (at most two) shards it spans. */
  function shardsOf(word) {
    var list = [];
    var add = function (n) {
      if (n >= 0 && list.indexOf(n) === -1) {
        list.push(n);
      }
    };
    add(termShard(word.term));
    if (word.prefix) {
      var first = Math.max(termShard(word.prefix), 0);
      add(first);
      var next = first + 1;
      var firsts = manifest.terms || [];
      if (next < firsts.length && firsts[next].indexOf(word.prefix) === 0) {
        add(next);
      }
    }
    return list;
  }

  /** { position: score } of the incidents that have one word of the query. */
  function wordMatches(word) {
    var names = shardsOf(word).map(function (n) {
      return "terms/" + n;
    });
    return Promise.all(names.map(shard)).then(function (data) {
      var scores = {};
      data.forEach(function (terms) {
        if (!terms || typeof terms !== "object") {
          return;
        }
        Object.keys(terms).forEach(function (term) {
          var exact = term === word.term;
          if (!exact && !(word.prefix && term.indexOf(word.prefix) === 0)) {
            return;
          }
          var found = postings(String(terms[term]));
          Object.keys(found).forEach(function (pos) {
            // A word being typed counts half when it only starts a term.
            var score = exact ? found[pos] : found[pos] / 2;
            if (!(scores[pos] >= score)) {
              scores[pos] = score;
            }
          });
        });
      });
      return scores;
    });
  }

  /**
   * The incidents matching `query` (text) and `selects` ([{ name, value }]), ranked: resolves to
   * { positions: [...], total } where total is the number of incidents in the index.
   */
  function match(query, selects) {
    var words = queryWords(query, manifest);
    var total = manifest.docs || 0;
    var filters = selects.map(function (s) {
      return shard("filters/" + s.name + "/" + s.value).then(function (text) {
        return positions(String(text));
      });
    });
    return Promise.all([Promise.all(words.map(wordMatches)), Promise.all(filters)]).then(function (found) {
      var perWord = found[0];
      var sets = found[1];
      var keep = function (pos) {
        return sets.every(function (set) {
          return set[pos] === true;
        });
      };
      if (perWord.length === 0) {
        // No words (or only common ones): the filters alone, newest first.
        var all = [];
        for (var p = 0; p < total; p++) {
          if (keep(p)) {
            all.push(p);
          }
        }
        return { positions: all, total: total };
      }
      // Start from the word with the fewest incidents.
      var keys = perWord.map(function (scores) {
        return Object.keys(scores);
      });
      var rarest = 0;
      keys.forEach(function (k, i) {
        if (k.length < keys[rarest].length) {
          rarest = i;
        }
      });
      var scored = [];
      keys[rarest].forEach(function (key) {
        var pos = Number(key);
        var sum = 0;
        for (var i = 0; i < perWord.length; i++) {
          var s = perWord[i][key];
          if (s === undefined) {
            return;
          }
          sum += s;
        }
        if (keep(pos)) {
          scored.push([pos, sum]);
        }
      });
      scored.sort(function (x, y) {
        return y[1] - x[1] || x[0] - y[0];
      });
      return {
        positions: scored.map(function (x) {
          return x[0];
        }),
        total: total
      };
    });
  }

  /** How many rows are drawn before the rest of a page of matches has loaded. */
  var FIRST_ROWS = 20;

  /** The rows of the incidents at `list` (positions), in that order. */
  function rows(list) {
    var per = manifest.docs_per_shard || 1;
    var names = [];
    list.forEach(function (pos) {
      var name = "docs/" + Math.floor(pos / per);
      if (names.indexOf(name) === -1) {
        names.push(name);
      }
    });
    return Promise.all(names.map(shard)).then(function () {
      return list.map(function (pos) {
        var chunk = loaded["docs/" + Math.floor(pos / per)];
        return Array.isArray(chunk) ? chunk[pos % per] : null;
      }).filter(function (row) {
        return row && typeof row === "object";
      });
    });
  }

  window.PM_SEARCH_ENGINE = {
    /** Loads the manifest at `url` (search/index.js); resolves to it. */
    open: function (url) {
      if (manifest) {
        return Promise.resolve(manifest);
      }
      base = url.replace(/[^\/]*$/, "");
      return shard("index").then(function (value) {
        if (!value || typeof value !== "object" || !Array.isArray(value.terms)) {
          throw new Error("the search index's manifest is not usable");
        }
        manifest = value;
        return manifest;
      });
    },
    /**
     * Searches: resolves to { rows, matched, total }, the rows of the first `limit` matches in rank
     * order, how many incidents match and how many there are. Ranked matches come from all over the
     * list, a file of rows for nearly each; when `first` (a function) is given and more than
     * FIRST_ROWS rows are asked for, it is called with the first FIRST_ROWS of them as soon as they
     * are loaded, so the best matches are shown while the others load.
     */
    search: function (query, selects, limit, first) {
      return match(query, selects).then(function (result) {
        var answer = function (list) {
          return { rows: list, matched: result.positions.length, total: result.total };
        };
        var all = function () {
          return rows(result.positions.slice(0, limit)).then(answer);
        };
        if (typeof first !== "function" || limit <= FIRST_ROWS || result.positions.length <= FIRST_ROWS) {
          return all();
        }
        return rows(result.positions.slice(0, FIRST_ROWS)).then(function (list) {
          first(answer(list));
          return all();
        });
      });
    },
    stem: stem,
    words: function (query) {
      return queryWords(query, manifest || {});
    }
  };
})();
