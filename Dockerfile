# The explorer, with MNIST downloaded while the image is built. The default handwriting network
# comes trained in models/, so the first student to open the page gets predictions at once.
#   docker build -t nn-explorer .
#   docker run -p 8501:8501 nn-explorer        # then open http://localhost:8501
FROM python:3.11-slim

RUN useradd --create-home explorer
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY .streamlit .streamlit
COPY app.py .
COPY core core
COPY ui ui
COPY lessons lessons
COPY models models

USER explorer
ENV NN_EXPLORER_CACHE=/home/explorer/models
# Downloads MNIST into the image (about 11 MB, from where Keras downloads it), for its test digits and for networks
# trained with other settings. To have the other presets ready too, add:
#   RUN python -m core.digits.pretrain --presets nielsen dense
RUN python -c "from core.digits.data import from_download; from_download()"

# Fewer malloc arenas for the server's many threads: measured with 30 sessions, peak memory
# 881 MB instead of 933 MB.
ENV MALLOC_ARENA_MAX=2
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
