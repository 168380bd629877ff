"""Chapter 09's usual mistakes: each fails its visible test, and grading names the case."""

MISTAKES = {
    # Ties counted for the gold: rank = 1 + the candidates strictly above it.
    "ex1-hits-at-k": ('''def hits_at_k(scores, gold, k):
    gold_score = scores.gather(1, gold.view(-1, 1))
    rank = 1 + (scores > gold_score).sum(dim=1)
    return float((rank <= k).double().mean())
''', "ties count against the gold"),
    # The textbook idf ln(n / df), without scikit-learn's smoothing and its + 1.
    "ex2-tfidf": ('''def tfidf_scores(documents, query, candidates):
    n = len(documents)
    df = Counter(word for document in documents for word in set(document))
    idf = {word: math.log(n / count) for word, count in df.items()}

    def vector(tokens):
        weights = {w: c * idf[w] for w, c in Counter(t for t in tokens if t in idf).items()}
        norm = math.sqrt(sum(x * x for x in weights.values()))
        return {w: x / norm for w, x in weights.items()} if norm > 0 else {}

    q = vector(query)
    return torch.tensor([sum(q.get(w, 0.0) * x for w, x in vector(c).items()) for c in candidates],
                        dtype=torch.float64)
''', "with the smoothed idf"),
    # The hinges summed over the k negatives instead of averaged.
    "ex3-margin-loss": ('''def margin_ranking(pos, neg, margin):
    return torch.relu(margin - pos.unsqueeze(1) + neg).sum(dim=1).mean()
''', "their sum would be 0.1"),
    # The softmax taken over every slot, padded ones included.
    "ex4-profile-hop": ('''def profile_hop(q, persona, mask):
    alpha = torch.softmax(F.cosine_similarity(q.unsqueeze(1), persona, dim=-1), dim=-1)
    return q + (alpha.unsqueeze(-1) * persona).sum(dim=1), alpha
''', "the softmax runs over the real sentences only"),
    # The second hop attending with the bare query q instead of q+.
    "ex5-kv-scores": ('''def kv_scores(q, persona, persona_mask, keys, values, memory_mask,
              candidates):
    q_plus, _ = profile_hop(q, persona, persona_mask)
    sim = F.cosine_similarity(q.unsqueeze(1), keys, dim=-1)
    sim = sim.masked_fill(~memory_mask, float("-inf"))
    beta = torch.nan_to_num(torch.softmax(sim, dim=-1), nan=0.0) * memory_mask
    q_plus_plus = q_plus + (beta.unsqueeze(-1) * values).sum(dim=1)
    return F.cosine_similarity(q_plus_plus.unsqueeze(1), candidates, dim=-1), beta
''', "the second hop attends with q+"),
}
