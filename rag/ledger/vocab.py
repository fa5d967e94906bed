"""The ledger's closed vocabularies: what each event kind and money term is called.

Kinds and terms are a fixed schema (the issue lists them), so the words that name them are data,
matched as lower-case word prefixes ("licens" covers license, licensed, licensing) against the
parse's tokens. Regulators are a short, fixed list as well. Order matters where one word could
name two kinds: the more specific kind comes first ("amend a licence" is an amendment, "implied
approval for a clinical trial" is a trial clearance).
"""

from __future__ import annotations

# kind -> word prefixes; a tuple entry is a sequence of prefixes that must follow each other.
KIND_WORDS: tuple[tuple[str, tuple[str | tuple[str, ...], ...]], ...] = (
    # a licence that ends ("served notice to end its licence", "walks away from the alliance")
    ("termination", ("terminat", ("end", "its"), ("walk", "away"), ("walks", "away"),
                     ("walked", "away"), ("hand", "back"), ("hands", "back"))),
    ("amendment", ("amend", "restructur", ("revised", "terms"))),
    ("acquisition", ("acqui", "takeover", "take-private", "merger", "buyout")),
    ("ind", (("ind",), ("clinical", "trial", "approval"), ("implied", "approval"),
             ("investigational", "new", "drug"))),
    ("ipo", ("ipo", "listing", "debut", ("began", "trading"), "prospectus", ("star", "market"))),
    ("financing", ("series", "financing", "placement", "fundrais", "round", "raise")),
    ("designation", ("designat", ("breakthrough", "therapy"), ("orphan", "drug"),
                     ("fast", "track"), "prime", "rmat")),
    # a listing on the national reimbursement list is a price deal, not a licence to market:
    # its brief says "the approved indication" too
    ("reimbursement", ("nrdl", "reimburs", ("drug", "list"))),
    ("approval", ("approv",)),  # not "authorisation": a Marketing Authorisation Application
    ("filing", ("nda", "bla", "maa", "snda", "sbla", "accept", "submi", "filing", "filed",
                "validat", ("priority", "review"), ("positive", "opinion"))),
    ("readout", ("readout", "data", "results", "endpoint", "efficacy")),
    ("licence", ("licens", "licenc", "collaborat", "partner", "co-develop", "co-promot",
                 "co-commerciali", "option", "rights", "pact", "deal", "agreement")),
)  # fmt: skip

# A licence and the kinds that tell of its later fate: one deal, with the licence's parties
LICENCE_FAMILY = ("licence", "amendment", "termination")

# A kind the lead may make more precise than the title: a title's "pact" whose lead says the
# licence was amended reports the amendment.
REFINES = {"licence": ("amendment", "termination")}

# The words that name a licence on their own; "deal", "agreement" or "rights" also name an IPO's
# or a financing's terms, so a passing licence needs one of these.
LICENCE_WORDS = ("licens", "licenc", "collaborat", "co-develop", "co-promot", "co-commerciali",
                 "out-licens", "in-licens")  # fmt: skip

# "invest" as a word, not the start of "investigational new drug application"; "shares" only
# as what an amount buys (`terms._names_term`)
_EQUITY_WORDS = ("equity", "stake", "invest$", "invests$", "invested$", "investing$",
                 "investment", "investor", "subscri", "shares$")  # fmt: skip

# money term -> word prefixes near the amount, in the order a tie is broken
TERM_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("upfront", ("upfront", "up-front", "initial", "signing")),
    ("milestones", ("milestone",)),
    ("royalty", ("royalt",)),
    ("equity", _EQUITY_WORDS),
    ("proceeds", ("proceeds", "raise", "raising", "financing", "round", "series", "offering")),
    ("total", ("total", "worth", "valu", "aggregate", "overall", "potential")),
)

# The terms each kind of event can carry: a licence has no proceeds, a financing no royalty (a
# licence brief's background financing is another event's figure).
KIND_TERMS = {
    "licence": ("upfront", "milestones", "total", "equity", "royalty"),
    "amendment": ("upfront", "milestones", "total", "equity", "royalty"),
    "termination": (),  # its brief's figures are the ended deal's, already on that deal's row
    "acquisition": ("upfront", "milestones", "total", "equity"),
    "financing": ("proceeds", "equity"),
    "ipo": ("proceeds", "total"),
}
OTHER_TERMS = ("milestones",)  # an approval or readout can trigger a milestone payment

UNDISCLOSED = ("undisclosed", "disclos", "unspecified", "confidential")

# Regulators, by the short form briefs use; a long form maps to its short form.
AGENCIES = {
    "nmpa": "NMPA", "national medical products administration": "NMPA",
    "cde": "CDE", "center for drug evaluation": "CDE",
    "fda": "FDA", "food and drug administration": "FDA",
    "ema": "EMA", "european medicines agency": "EMA", "chmp": "CHMP",
    "european commission": "European Commission", "pmda": "PMDA", "mhra": "MHRA",
    "health canada": "Health Canada", "tga": "TGA", "hsa": "HSA",
}  # fmt: skip

# Market bodies a brief is filed with or listed on: never a party to a deal
MARKET_BODIES = ("securities and exchange commission", "stock exchange", "hkex", "nasdaq", "nyse",
                 "securities regulatory commission")  # fmt: skip

# WHO INN stems that end generic drug names ("zanidatamab", "zevor-cel", "olverembatinib").
INN_ENDINGS = (
    "mab", "cept", "cel", "leucel", "tagene", "tinib", "rafenib", "ciclib", "parib", "lisib",
    "glutide", "tide", "vedotin", "tecan", "platin", "taxel", "rubicin", "gliflozin", "gliptin",
    "sartan", "xaban", "gatran", "sertib", "degib", "zomib", "lutamide", "stat", "siran", "sen",
)  # fmt: skip

# Nouns that make a noun chunk a disease ("relapsed/refractory multiple myeloma").
DISEASE_ENDINGS = (
    "oma", "emia", "aemia", "itis", "osis", "cancer", "tumor", "tumour", "disease", "syndrome",
    "diabetes", "obesity", "hypertension", "infection", "disorder", "failure", "psoriasis",
    "dermatitis", "colitis", "lupus", "gout", "hyperuricemia", "asthma", "thrombosis",
    "malignancies", "carcinoma", "leukemia", "leukaemia", "neoplasm",
)  # fmt: skip

TERRITORY_CUES = ("outside", "excluding", "except", "ex-", "worldwide", "global", "rights",
                  "territor", "in", "across", "throughout", "for")  # fmt: skip

# Nouns that name a product ("which HER2 drugs appear")
ASSET_NOUNS = frozenset(("drug", "product", "asset", "candidate", "medicine", "therapy",
                         "antibody", "adc", "molecule", "compound", "biosimilar"))  # fmt: skip
# ... and the possessed nouns that make their possessor the licensor ("Ascentage's inhibitor")
OWNED_NOUNS = ASSET_NOUNS | {"inhibitor", "conjugate", "programme", "program", "vaccine",
                             "degrader", "bispecific", "treatment"}  # fmt: skip
