"""Chapter 09 answered through the package or ruled-out library functions: every such exercise
scores 0."""

SHORTCUTS = {
    # the package's gold rank under another name
    "ex1-hits-at-k": '''from graphcourse.metrics import gold_rank as _ranks


def hits_at_k(scores, gold, k):
    return float((_ranks(scores, gold) <= k).double().mean())
''',
    # scikit-learn's TfidfVectorizer, which the statement rules out
    "ex2-tfidf": '''def tfidf_scores(documents, query, candidates):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens).fit(documents)
    cosines = vectorizer.transform(candidates) @ vectorizer.transform([query]).T
    return torch.tensor(cosines.toarray().reshape(-1), dtype=torch.float64)
''',
    # PyTorch's hinge embedding loss on the differences, which the statement rules out
    "ex3-margin-loss": '''def margin_ranking(pos, neg, margin):
    from torch.nn.functional import hinge_embedding_loss as hinge

    return hinge(pos.unsqueeze(1) - neg, -torch.ones_like(neg), margin=margin)
''',
    # chapter 04's attention with a zero query: softmax(cosines) over the real slots, times P
    "ex4-profile-hop": '''def profile_hop(q, persona, mask):
    from graphcourse.nn.attention import scaled_dot_product_attention as _attend

    cosines = F.cosine_similarity(q.unsqueeze(1), persona, dim=-1)  # [B, P]
    out, weights = _attend(torch.zeros_like(q).unsqueeze(1), persona, persona,
                           mask=mask.unsqueeze(1), bias=cosines.unsqueeze(1))
    return q + out.squeeze(1), weights.squeeze(1)
''',
    # the package's similarity and masked softmax, reached through a subclass of its model
    "ex5-kv-scores": '''import graphcourse.nn.memnet as _memnet


class _Mine(_memnet.KVProfileMemoryRanker):
    pass


def kv_scores(q, persona, persona_mask, keys, values, memory_mask, candidates):
    sim = F.cosine_similarity(q.unsqueeze(1), persona, dim=-1)
    sim = sim.masked_fill(~persona_mask, float("-inf"))
    alpha = torch.nan_to_num(torch.softmax(sim, dim=-1), nan=0.0) * persona_mask
    q_plus = q + (alpha.unsqueeze(-1) * persona).sum(dim=1)
    beta = _memnet._masked_softmax(_Mine._similarity(None, q_plus, keys), memory_mask)
    q_plus_plus = q_plus + (beta.unsqueeze(-1) * values).sum(dim=1)
    return F.cosine_similarity(q_plus_plus.unsqueeze(1), candidates, dim=-1), beta
''',
}
