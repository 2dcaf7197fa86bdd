"""Learning from use: feedback on questions while answering, the methodology dashboard built
from it and from answers and reviews, and the shared library of mitigations."""
